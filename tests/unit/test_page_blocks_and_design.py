"""Blocks against their JSON Schemas (the bad field's path named), the design system's
checks and CSS cleaning, and page templates, on the domain and the in-memory store."""

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from adapters.block_schemas import block_errors, check_blocks
from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from commands.pages.design import (
    ChangeDesignSystem,
    ChangeTemplate,
    DeleteTemplate,
    SaveTemplate,
    change_design_system,
    change_template,
    delete_template,
    save_template,
)
from domain.errors import ConflictError, ForbiddenError, InvalidCommandError, NotFoundError
from domain.log import EventMeta
from domain.pages.blocks import BLOCK_TYPES
from domain.pages.design_system import DEFAULTS, check_tokens, clean_css
from domain.pages.events import DesignSystemChanged, TemplateChanged
from domain.pages.landing import (
    PageDirectory,
    check_slug,
    free_slug,
    page_directory_id,
    page_limit,
)
from domain.pages.page_writer import PageProduct, write_page

META = EventMeta(actor_type="user", actor_id="u1")
VALID: dict[str, dict[str, Any]] = {
    "hero": {"headline": "Linen for summer", "cta_text": "Shop", "cta_url": "/collections/linen"},
    "product_grid": {"product_skus": ["A-1", "B-2"], "columns": 3, "show_prices": True},
    "text_section": {"heading": "Why linen", "body": "It breathes."},
    "cta_banner": {"text": "Free shipping", "button_text": "Go", "button_url": "https://x.example/"},
    "feature_list": {"features": [{"title": "Light"}, {"title": "Strong", "description": "y"}]},
    "testimonial": {"quote": "Love it", "author": "Ana", "role": "Buyer"},
}


def test_every_block_type_has_a_schema_and_accepts_a_valid_block() -> None:
    assert set(BLOCK_TYPES) == {"hero", "product_grid", "text_section", "cta_banner",
                                "feature_list", "testimonial"}
    blocks = [{"type": kind, "props": props} for kind, props in VALID.items()]
    assert check_blocks(blocks) == tuple(blocks)


@pytest.mark.parametrize(("block", "path"), [
    ({"type": "hero", "props": {}}, "blocks[0].props: \"headline\" is a required property"),
    ({"type": "hero", "props": {"headline": "x", "colour": "red"}}, "blocks[0].props: Additional"),
    ({"type": "product_grid", "props": {"product_skus": ["A"], "columns": 9}},
     "blocks[0].props.columns: 9 is greater than the maximum of 6"),
    ({"type": "feature_list", "props": {"features": [{"title": "a"}, {"icon": "x"}]}},
     "blocks[0].props.features[1]: \"title\" is a required property"),
    ({"type": "cta_banner", "props": {"text": "t", "button_text": "b",
                                      "button_url": "javascript:alert(1)"}},
     "blocks[0].props.button_url:"),
    ({"type": "carousel", "props": {}}, "blocks[0].type: unknown block type 'carousel'"),
    ({"type": "hero"}, "blocks[0]: \"props\" is a required property"),
    ("hero", "blocks[0]: \"hero\" is not of type \"object\""),
])
def test_a_bad_block_is_refused_with_the_path_of_the_bad_field(block: Any, path: str) -> None:
    with pytest.raises(InvalidCommandError) as refused:
        check_blocks([block])
    assert str(refused.value).startswith(path)


def test_a_long_bad_value_is_cut_in_the_message() -> None:
    errors = block_errors({"type": "hero", "props": {"headline": "x" * 5000}})
    assert errors and len(errors[0]) < 400


def test_design_tokens_are_checked_each_naming_itself() -> None:
    assert check_tokens({"primary_color": "#a1b2c3", "heading_font": " Playfair Display ",
                         "border_radius": "0.5rem", "spacing_unit": 4}) == {
        "primary_color": "#A1B2C3", "heading_font": "Playfair Display",
        "border_radius": "0.5rem", "spacing_unit": 4}
    for name, value in [("primary_color", "red"), ("text_color", "#12345"),
                        ("body_font", "Arial; } body {"), ("border_radius", "8 px"),
                        ("border_radius", "calc(1px)"), ("spacing_unit", 0),
                        ("spacing_unit", True), ("custom_css", 5), ("shadow", "x")]:
        with pytest.raises(InvalidCommandError, match=name):
            check_tokens({name: value})


def test_custom_css_cannot_leave_its_style_element_nor_fetch_or_run_anything() -> None:
    cleaned = clean_css('.a{color:red}</style><script>alert(1)</script>'
                        '@import url("https://evil.example/x.css"); .b{}')
    assert "<" not in cleaned and "@import" not in cleaned
    assert cleaned.startswith(".a{color:red}\\3c /style>")
    for script in ("a{width:expression(alert(1))}", "a{background:url(JavaScript:x)}",
                   "a{-moz-binding:url(x)}"):
        with pytest.raises(InvalidCommandError, match="custom_css"):
            clean_css(script)
    with pytest.raises(InvalidCommandError, match="custom_css"):
        clean_css("a{}" * 10_000)


def test_a_design_system_change_records_every_token_and_nothing_when_unchanged() -> None:
    store = InMemoryEventStore()
    bus, org = CommandBus(store), uuid4()
    first = bus.execute(change_design_system, ChangeDesignSystem(
        org_id=org, values={"primary_color": "#000000"}), META)
    again = bus.execute(change_design_system, ChangeDesignSystem(
        org_id=org, values={"primary_color": "#000000"}), META)
    assert first.result == {**DEFAULTS, "primary_color": "#000000"}
    assert again.position == 0
    [event] = [r.event for r in store.log if isinstance(r.event, DesignSystemChanged)]
    assert (event.primary_color, event.body_font) == ("#000000", DEFAULTS["body_font"])


def test_templates_are_numbered_changed_only_when_different_and_scoped_to_their_org() -> None:
    store = InMemoryEventStore()
    bus, org, other = CommandBus(store), uuid4(), uuid4()
    blocks = [{"type": "hero", "props": VALID["hero"]}]
    one = bus.execute(save_template, SaveTemplate(org_id=org, name=" Summer ", blocks=blocks,
                                                  tags=("Sale", "sale")), META).result
    two = bus.execute(save_template, SaveTemplate(org_id=org, name="Winter"), META).result
    assert (one, two) == (1, 2)
    unchanged = bus.execute(change_template, ChangeTemplate(org_id=org, number=1,
                                                            name="Summer"), META)
    assert unchanged.position == 0
    bus.execute(change_template, ChangeTemplate(org_id=org, number=1, tags=("new",)), META)
    changed = [r.event for r in store.log if isinstance(r.event, TemplateChanged)]
    assert [(e.name, e.tags, len(e.blocks)) for e in changed] == [("Summer", ("new",), 1)]
    with pytest.raises(InvalidCommandError, match=r"blocks\[0\].props"):
        bus.execute(change_template, ChangeTemplate(
            org_id=org, number=1, blocks=[{"type": "hero", "props": {}}]), META)
    with pytest.raises(NotFoundError):
        bus.execute(change_template, ChangeTemplate(org_id=other, number=1, name="x"), META)
    with pytest.raises(NotFoundError):
        bus.execute(delete_template, DeleteTemplate(org_id=other, number=1), META)
    bus.execute(delete_template, DeleteTemplate(org_id=org, number=1), META)
    with pytest.raises(NotFoundError):
        bus.execute(delete_template, DeleteTemplate(org_id=org, number=1), META)
    with pytest.raises(InvalidCommandError, match="name"):
        bus.execute(save_template, SaveTemplate(org_id=org, name="  "), META)


def test_the_page_directory_keeps_slugs_unique_and_the_limit() -> None:
    org = uuid4()
    directory = PageDirectory(page_directory_id(org))
    directory.claim(org, 1, "summer", 2)
    directory.claim(org, 2, "winter", 2)
    with pytest.raises(ConflictError, match="summer"):
        directory.claim(org, 3, "summer", None)
    with pytest.raises(ForbiddenError, match="page limit"):
        directory.claim(org, 3, "spring", 2)
    directory.claim(org, 1, "summer-sale", 2)  # a rename is not a new page
    assert directory.slugs == {"summer-sale": 1, "winter": 2}
    directory.release(org, 2)
    directory.claim(org, 3, "winter", 2)
    assert directory.slugs == {"summer-sale": 1, "winter": 3}


def test_the_page_limit_comes_from_the_tier_unless_the_settings_say_otherwise() -> None:
    assert page_limit("free", {}) == 3
    assert page_limit("enterprise", {}) is None
    assert page_limit("free", {"page_limit": 40}) == 40
    assert page_limit("starter", {"page_limit": "many"}) == 25
    assert page_limit("starter", {"page_limit": True}) == 25
    for slug in ("Summer", "a--b", "-a", "a b", "é", "x" * 101):
        with pytest.raises(InvalidCommandError, match="slug"):
            check_slug(slug)


def test_the_offline_page_writer_states_only_the_products_facts_in_valid_blocks() -> None:
    found = [PageProduct(sku="A-1", name="Linen shirt", category="Men", price=Decimal("49.00")),
             PageProduct(sku="B-2", name="Linen dress", category="Women",
                         price=Decimal("89.50")),
             PageProduct(sku="", name="No SKU")]
    page = write_page("Summer linen", "linen", found)
    assert page.product_skus == ("A-1", "B-2")
    assert "Linen shirt and Linen dress" in page.intro_copy
    assert "Men and Women" in page.intro_copy and "49.00 to 89.50" in page.intro_copy
    assert check_blocks(list(page.blocks)) == page.blocks
    empty = write_page("Summer linen", "linen", [])
    assert empty.product_skus == () and "nothing in the catalogue" in empty.intro_copy
    assert [b["type"] for b in check_blocks(list(empty.blocks))] == ["hero", "text_section"]


def test_a_free_slug_is_made_of_the_text_and_numbered_when_taken() -> None:
    assert free_slug("Coffee mug!", []) == "coffee-mug"
    assert free_slug("Coffee mug!", ["coffee-mug", "coffee-mug-2"]) == "coffee-mug-3"
    assert free_slug("¡¿!", []) == "page"
    assert len(free_slug("word " * 100, [])) <= 100
    check_slug(free_slug("Été à Paris 2026", []))

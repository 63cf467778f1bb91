"""The offline blog writer: a readable post from the products alone, shaped by the post type
and the template (its sections, tone, length), linking products to their store pages, stating
nothing the products do not, and writing the same post for the same brief."""

import pytest

from domain.blog.html_sanitizer import sanitize_html
from domain.blog.post_brief import PostBrief, PostTemplate, product_of
from domain.blog.post_settings import PostSettings
from domain.blog.post_validation import validate_post
from domain.blog.post_writer import write_post
from domain.errors import InvalidCommandError
from domain.generation.html_check import html_problems

PRODUCTS = (
    product_of("i1", {"name": "Ridge tent", "brand": "Fjellwerk", "price": "249.00",
                      "description": "A two-person tent for windy ridges. Packs small.",
                      "platform_fields": {"url": "https://shop.example/ridge-tent"}}, {}),
    product_of("i2", {"name": "Down sleeping bag", "price": "189.00"},
               {"short_description": "Goose down for cold nights."}),
    product_of("i3", {"name": "Foam mat", "attributes": {"thickness": "2 cm"}}, {}),
)


def brief(post_type: str = "product_roundup", template: PostTemplate | None = None,
          **settings: str) -> PostBrief:
    return PostBrief(post_type=post_type, topic="camping in the cold", products=PRODUCTS,
                     template=template, settings=PostSettings(**settings))


def test_a_roundup_names_every_product_links_those_with_a_store_page_and_invents_nothing() -> None:
    draft = write_post(brief())
    for product in PRODUCTS:
        assert product.name in draft.content
    assert '<a href="https://shop.example/ridge-tent">' in draft.content
    assert "249.00" in draft.content and "Goose down for cold nights." in draft.content
    score, issues = validate_post(brief(), draft)
    assert (score, issues) == (1.0, ())
    assert draft.content == sanitize_html(draft.content)
    assert draft.focus_keyword == "camping in the cold" and "camping in the cold" in draft.excerpt
    assert len(draft.meta_title) <= 60 and len(draft.meta_description) <= 160


def test_each_post_type_has_its_own_title_and_a_comparison_lists_the_products_at_a_glance() -> None:
    titles = {t: write_post(brief(t)).title for t in
              ("product_roundup", "buying_guide", "how_to", "comparison", "announcement")}
    assert len(set(titles.values())) == 5
    assert "At a glance" in write_post(brief("comparison")).content


def test_the_templates_sections_and_tone_shape_the_post() -> None:
    template = PostTemplate(name="Guide", tone="friendly", custom_instructions="",
                            structure={"sections": ["What to pack", {"title": "Staying warm"}]})
    draft = write_post(brief(template=template))
    assert "<h2>What to pack</h2>" in draft.content and "<h2>Staying warm</h2>" in draft.content
    assert draft.content.index("What to pack") < draft.content.index("Staying warm")
    assert draft.content.startswith("<p>Looking into camping in the cold?")


def test_the_length_sets_how_much_of_each_description_is_told() -> None:
    short, long = write_post(brief(length="short")), write_post(brief(length="long"))
    assert "Packs small." not in short.content and "Packs small." in long.content


def test_the_templates_length_counts_when_the_settings_name_none() -> None:
    template = PostTemplate(name="Long reads", tone="", custom_instructions="",
                            structure={"length": "long"})
    assert "Packs small." in write_post(brief(template=template)).content
    assert "Packs small." not in write_post(brief(template=template, length="short")).content


def test_the_same_brief_gives_the_same_well_formed_post() -> None:
    assert write_post(brief()) == write_post(brief())
    assert not [p for p in html_problems(write_post(brief()).content) if "closed" in p]


def test_the_offline_writer_writes_english_only() -> None:
    with pytest.raises(InvalidCommandError, match="template writer"):
        write_post(brief(language="de"))


def test_the_validators_catch_numbers_and_claims_the_products_do_not_state() -> None:
    draft = write_post(brief())
    invented = draft.__class__(**{**draft.__dict__, "content": draft.content +
                                  "<p>Our best-selling tent, 40% lighter.</p>"})
    score, issues = validate_post(brief(), invented)
    assert score < 0.5
    assert any("Numbers" in i and "40" in i for i in issues)
    assert any("Claims" in i for i in issues)

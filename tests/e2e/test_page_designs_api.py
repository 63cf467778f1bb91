"""The block registry (`/api/ai-pages/blocks/`), the design system
(`/api/ai-pages/design-system/`) and page templates (`/api/ai-pages/templates/`) over real
HTTP: defaults, changes, blocks validated with the path of the bad field, bad input 4xx
naming the problem, another organization's ids not found, and the read model equal to a
rebuild."""

import asyncio
from typing import Any

import httpx
import psycopg
import pytest

from projections.pages.projection import PageDesigns
from projections.verify import differences
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, wait_for_projections

HERO = {"type": "hero", "props": {"headline": "Linen for summer", "cta_url": "/linen"}}
GRID = {"type": "product_grid", "props": {"product_skus": ["A-1", "B-2"], "columns": 2}}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Designs Shop")


def ai(stack: Stack, method: str, path: str, headers: dict[str, str],
       body: object = None) -> httpx.Response:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return httpx.request(method, f"{stack.base_url}/api/ai-pages{path}", headers=headers,
                         timeout=30, **kwargs)


def test_the_block_registry_lists_six_types_with_their_schemas(
    stack: Stack, tenant: Tenant,
) -> None:
    response = ai(stack, "GET", "/blocks/", tenant.headers)
    assert response.status_code == 200, response.text
    blocks = response.json()
    assert [b["type"] for b in blocks] == ["hero", "product_grid", "text_section",
                                           "cta_banner", "feature_list", "testimonial"]
    hero = blocks[0]["schema"]
    assert hero["type"] == "object" and hero["required"] == ["headline"]
    assert ai(stack, "GET", "/blocks/", {}).status_code == 401


def test_the_design_system_starts_at_the_defaults_and_changes_only_what_is_given(
    stack: Stack, tenant: Tenant,
) -> None:
    other = new_tenant(stack, "Designs Other")
    first = ai(stack, "GET", "/design-system/", other.headers).json()
    assert first["is_default"] is True and first["updated_at"] is None
    assert first["primary_color"].startswith("#") and first["spacing_unit"] == 8
    changed = ai(stack, "PATCH", "/design-system/", other.headers, {
        "primary_color": "#ff6600", "heading_font": "Playfair Display",
        "custom_css": ".hero{color:red}</style><script>alert(1)</script>"})
    assert changed.status_code == 200, changed.text
    design = changed.json()
    assert (design["primary_color"], design["heading_font"], design["is_default"]) == (
        "#FF6600", "Playfair Display", False)
    assert "<" not in design["custom_css"] and design["custom_css"].startswith(".hero{color:red}")
    assert design["body_font"] == first["body_font"]
    assert ai(stack, "GET", "/design-system/", other.headers).json() == design
    untouched = ai(stack, "GET", "/design-system/", tenant.headers).json()
    assert untouched["is_default"] is True, "another organization's change is not ours"


@pytest.mark.parametrize(("body", "field"), [
    ({"primary_color": "orange"}, "primary_color"),
    ({"border_radius": "8 px"}, "border_radius"),
    ({"spacing_unit": 500}, "spacing_unit"),
    ({"spacing_unit": "8"}, "spacing_unit"),
    ({"heading_font": "x;}body{"}, "heading_font"),
    ({"custom_css": "a{width:expression(1)}"}, "custom_css"),
    ({"shadow": "big"}, "shadow"),
])
def test_a_bad_design_token_is_refused_naming_it(
    stack: Stack, tenant: Tenant, body: dict[str, Any], field: str,
) -> None:
    response = ai(stack, "PATCH", "/design-system/", tenant.headers, body)
    assert response.status_code in (400, 422), response.text
    assert field in response.json()["detail"]


def test_a_template_is_created_read_changed_and_deleted(stack: Stack, tenant: Tenant) -> None:
    created = ai(stack, "POST", "/templates/", tenant.headers, {
        "name": "Summer sale", "description": "Hero and grid", "blocks": [HERO, GRID],
        "tags": ["Sale", "summer"]})
    assert created.status_code == 201, created.text
    template = created.json()
    assert set(template) == {"id", "name", "description", "blocks", "tags", "created_at",
                             "updated_at"}
    assert (template["blocks"], template["tags"]) == ([HERO, GRID], ["sale", "summer"])
    path = f"/templates/{template['id']}/"
    assert ai(stack, "GET", path, tenant.headers).json() == template
    assert template["id"] in [t["id"] for t in ai(stack, "GET", "/templates/",
                                                   tenant.headers).json()]
    changed = ai(stack, "PATCH", path, tenant.headers, {"blocks": [GRID]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["blocks"], changed.json()["name"]) == ([GRID], "Summer sale")
    assert ai(stack, "DELETE", path, tenant.headers).status_code == 204
    assert ai(stack, "GET", path, tenant.headers).status_code == 404


@pytest.mark.parametrize(("blocks", "path"), [
    ([HERO, {"type": "hero", "props": {"headline": ""}}], "blocks[1].props.headline"),
    ([{"type": "slider", "props": {}}], "blocks[0].type"),
    ([{"type": "feature_list", "props": {"features": [{"description": "no title"}]}}],
     "blocks[0].props.features[0]"),
    ([{"type": "text_section", "props": {"body": "x", "font": "y"}}], "blocks[0].props"),
    ([{"props": {}}], "blocks[0]"),
])
def test_a_template_with_a_bad_block_is_refused_with_the_path_and_not_kept(
    stack: Stack, tenant: Tenant, blocks: list[Any], path: str,
) -> None:
    before = len(ai(stack, "GET", "/templates/", tenant.headers).json())
    response = ai(stack, "POST", "/templates/", tenant.headers, {"name": "Bad", "blocks": blocks})
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(path + ":") or response.json()[
        "detail"].startswith(path + " ")
    assert len(ai(stack, "GET", "/templates/", tenant.headers).json()) == before


def test_bad_template_bodies_are_refused_naming_the_field(stack: Stack, tenant: Tenant) -> None:
    cases = [({"blocks": []}, "name"), ({"name": "x"}, "blocks"),
             ({"name": "x", "blocks": "hero"}, "blocks"),
             ({"name": " ", "blocks": []}, "name"),
             ({"name": "x", "blocks": [], "tags": ["t" * 60]}, "tags")]
    for body, field in cases:
        response = ai(stack, "POST", "/templates/", tenant.headers, body)
        assert response.status_code in (400, 422), (body, response.text)
        assert field in response.json()["detail"], (body, response.text)


def test_another_organizations_template_is_not_found(stack: Stack, tenant: Tenant) -> None:
    template = ai(stack, "POST", "/templates/", tenant.headers,
                  {"name": "Mine", "blocks": [HERO]}).json()
    stranger = new_tenant(stack, "Designs Stranger")
    path = f"/templates/{template['id']}/"
    for method, body in [("GET", None), ("PATCH", {"name": "Theirs"}), ("DELETE", None)]:
        assert ai(stack, method, path, stranger.headers, body).status_code == 404
    assert ai(stack, "GET", "/templates/", stranger.headers).json() == []
    for number in (0, 999_999, 2**40):
        assert ai(stack, "GET", f"/templates/{number}/", tenant.headers).status_code == 404
    assert ai(stack, "GET", path, tenant.headers).json()["name"] == "Mine"


def test_the_page_designs_read_model_equals_a_rebuild(stack: Stack) -> None:
    wait_for_projections(stack.settings)

    async def check() -> list[str]:
        async with await psycopg.AsyncConnection.connect(stack.settings.database_url,
                                                         autocommit=True) as conn:
            return await differences(conn, PageDesigns())

    assert asyncio.run(check()) == []

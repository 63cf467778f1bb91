"""HTML pages over real HTTP (seed 002, `/api/pages`): create, lookup by slug, get with the
version count, PATCH (new HTML a new version, a slug taken 409), delete, the versions, and
`/p/<slug>` serving a published page sandboxed with `{{PAGE_ID}}` replaced; another
organization's ids not found."""

import asyncio
from typing import Any

import httpx
import psycopg
import pytest

from projections.pages.projection import PageDesigns
from projections.verify import differences
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, wait_for_projections, wait_until

HTML = ("<!DOCTYPE html><html lang=\"en\"><head><title>Board</title></head>"
        "<body data-page-id=\"{{PAGE_ID}}\"><h1>Sprint Board</h1></body></html>")


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Html Shop")


def api(stack: Stack, method: str, path: str, headers: dict[str, str],
        body: object = None, **params: Any) -> httpx.Response:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return httpx.request(method, f"{stack.base_url}/api/pages{path}", headers=headers,
                         params=params, timeout=30, **kwargs)


def test_a_page_is_created_looked_up_changed_versioned_and_deleted(
    stack: Stack, tenant: Tenant,
) -> None:
    created = api(stack, "POST", "", tenant.headers, {
        "name": "Team Sprint Board", "html_content": HTML, "storage_mode": "team_app",
        "description": "Kanban board"})
    assert created.status_code == 201, created.text
    page = created.json()["page"]
    assert (page["slug"], page["is_published"], page["storage_mode"]) == (
        "team-sprint-board", True, "team_app")
    assert page["url"].endswith("/p/team-sprint-board")
    assert page["page_api_ai_enabled"] is False
    found = api(stack, "GET", "/lookup", tenant.headers, slug="team-sprint-board").json()
    assert (found["id"], found["isPublished"]) == (page["id"], True)
    detail = api(stack, "GET", f"/{page['id']}", tenant.headers).json()
    assert detail["versionCount"] == 1 and detail["storageMode"] == "team_app"
    assert detail["page"]["html_content"] == HTML and detail["page"]["views"] == 0

    meta = api(stack, "PATCH", f"/{page['id']}", tenant.headers,
               {"description": "Board for sprints", "page_api_ai_enabled": True})
    assert meta.json() == {"success": True, "message": "Page updated successfully"}
    new_html = HTML.replace("Sprint Board", "Sprint Board v2")
    api(stack, "PATCH", f"/{page['id']}", tenant.headers, {"html_content": new_html})
    moved = api(stack, "PATCH", f"/{page['id']}", tenant.headers, {"slug": "My New Slug"})
    assert moved.json() == {"success": True, "slug": "my-new-slug",
                            "message": "Page slug updated to: my-new-slug"}
    detail = api(stack, "GET", f"/{page['id']}", tenant.headers).json()
    assert detail["versionCount"] == 2 and detail["page"]["page_api_ai_enabled"] is True
    versions = api(stack, "GET", f"/{page['id']}/versions", tenant.headers).json()
    assert [v["version"] for v in versions] == [1, 2]
    first = api(stack, "GET", f"/{page['id']}/versions/1", tenant.headers).json()
    assert first["html_content"] == HTML
    assert api(stack, "GET", "/lookup", tenant.headers,
               slug="team-sprint-board").status_code == 404

    assert api(stack, "DELETE", f"/{page['id']}", tenant.headers).status_code == 204
    assert api(stack, "GET", f"/{page['id']}", tenant.headers).status_code == 404
    again = api(stack, "POST", "", tenant.headers, {"name": "My new slug", "html_content": HTML})
    assert again.json()["page"]["slug"] == "my-new-slug", "a deleted page frees its slug"


def test_a_published_page_is_served_sandboxed_with_its_id_and_a_draft_is_not(
    stack: Stack, tenant: Tenant,
) -> None:
    page = api(stack, "POST", "", tenant.headers,
               {"name": "Served page", "html_content": HTML}).json()["page"]
    draft = api(stack, "POST", "", tenant.headers, {
        "name": "Draft page", "html_content": HTML, "is_published": False}).json()["page"]
    served = httpx.get(f"{stack.base_url}/p/served-page", timeout=30)
    assert served.status_code == 200, served.text
    assert served.headers["content-type"].startswith("text/html")
    assert f'data-page-id="{page["id"]}"' in served.text and "{{PAGE_ID}}" not in served.text
    assert served.headers["content-security-policy"].startswith("sandbox")
    httpx.get(f"{stack.base_url}/p/served-page", timeout=30,
              headers={"User-Agent": "ClaudeBot/1.0"})
    wait_until(lambda: api(stack, "GET", f"/{page['id']}", tenant.headers).json()["page"][
        "views"] == 2, 10, "both views to be written")
    assert httpx.get(f"{stack.base_url}/p/{draft['slug']}", timeout=30).status_code == 404
    assert httpx.get(f"{stack.base_url}/p/no-such-page", timeout=30).status_code == 404


def test_views_under_concurrent_requests_are_exact_and_a_change_is_served_at_once(
    stack: Stack, tenant: Tenant,
) -> None:
    page = api(stack, "POST", "", tenant.headers,
               {"name": "Busy page", "html_content": HTML}).json()["page"]
    url = f"{stack.base_url}/p/{page['slug']}"

    async def visit_many() -> list[int]:
        async with httpx.AsyncClient(timeout=30) as client:
            answers = await asyncio.gather(*(client.get(url) for _ in range(60)))
        return [a.status_code for a in answers]
    assert asyncio.run(visit_many()) == [200] * 60
    wait_until(lambda: api(stack, "GET", f"/{page['id']}", tenant.headers).json()["page"][
        "views"] == 60, 10, "the 60 views to be written")
    changed = api(stack, "PATCH", f"/{page['id']}", tenant.headers,
                  {"html_content": HTML.replace("Sprint Board", "Changed Board")})
    assert changed.status_code == 200, changed.text
    assert "Changed Board" in httpx.get(url, timeout=30).text, "the served copy is not stale"
    hidden = api(stack, "PATCH", f"/{page['id']}", tenant.headers, {"is_published": False})
    assert hidden.status_code == 200, hidden.text
    assert httpx.get(url, timeout=30).status_code == 404, "an unpublished page is gone at once"


def test_slugs_are_unique_across_organizations(stack: Stack, tenant: Tenant) -> None:
    api(stack, "POST", "", tenant.headers, {"name": "Shared name", "html_content": HTML})
    other = new_tenant(stack, "Html Other")
    theirs = api(stack, "POST", "", other.headers, {"name": "Shared name", "html_content": HTML})
    assert theirs.json()["page"]["slug"] == "shared-name-2"
    taken = api(stack, "PATCH", f"/{theirs.json()['page']['id']}", other.headers,
                {"slug": "shared-name"})
    assert taken.status_code == 409


def test_bad_input_names_the_field_and_another_organizations_page_is_not_found(
    stack: Stack, tenant: Tenant,
) -> None:
    for body, field in [({"html_content": HTML}, "name"), ({"name": "x"}, "html_content"),
                        ({"name": "x", "html_content": " "}, "html_content"),
                        ({"name": "x", "html_content": HTML, "storage_mode": "cloud"},
                         "storage_mode"),
                        ({"name": "x", "html_content": HTML, "description": "d" * 600},
                         "description")]:
        response = api(stack, "POST", "", tenant.headers, body)
        assert response.status_code in (400, 422), (body, response.text)
        assert field in response.json()["detail"], (body, response.text)
    page = api(stack, "POST", "", tenant.headers,
               {"name": "Private page", "html_content": HTML}).json()["page"]
    short = api(stack, "PATCH", f"/{page['id']}", tenant.headers, {"slug": "!"})
    assert short.status_code in (400, 422) and "slug" in short.json()["detail"]
    assert api(stack, "GET", "/lookup", tenant.headers).status_code == 400
    stranger = new_tenant(stack, "Html Stranger")
    for method, change in [("GET", None), ("PATCH", {"name": "Theirs"}), ("DELETE", None)]:
        assert api(stack, method, f"/{page['id']}", stranger.headers, change).status_code == 404
    assert api(stack, "GET", "/lookup", stranger.headers, slug="private-page").status_code == 404
    assert api(stack, "GET", f"/{page['id']}", {}).status_code == 401


def test_the_read_model_with_html_pages_equals_a_rebuild(stack: Stack) -> None:
    wait_for_projections(stack.settings)

    async def check() -> list[str]:
        async with await psycopg.AsyncConnection.connect(stack.settings.database_url,
                                                         autocommit=True) as conn:
            return await differences(conn, PageDesigns())

    assert asyncio.run(check()) == []

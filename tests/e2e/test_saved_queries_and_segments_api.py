"""Saved queries (`/api/ai-pages/queries/`) and product segments (`/api/ai-pages/segments/`)
over real HTTP: integer ids per organization, list/create/get/update/delete, bad input 4xx
naming the problem, and another organization's ids not found."""

from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Queries Shop")


def ai(stack: Stack, method: str, path: str, headers: dict[str, str],
       body: object = None) -> httpx.Response:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return httpx.request(method, f"{stack.base_url}/api/ai-pages{path}", headers=headers,
                         timeout=30, **kwargs)


def test_a_saved_query_is_created_read_changed_and_deleted(stack: Stack, tenant: Tenant) -> None:
    created = ai(stack, "POST", "/queries/", tenant.headers, {"text": " best  linen shirts "})
    assert created.status_code == 201, created.text
    query = created.json()
    assert set(query) == {"id", "text", "active", "created_at", "updated_at"}
    assert (query["text"], query["active"]) == ("best linen shirts", True)
    assert isinstance(query["id"], int)
    second = ai(stack, "POST", "/queries/", tenant.headers, {"text": "mugs", "active": False})
    assert second.json()["id"] == query["id"] + 1
    listed = ai(stack, "GET", "/queries/", tenant.headers).json()
    assert [q["id"] for q in listed] == [query["id"], query["id"] + 1]
    actives = ai(stack, "GET", "/queries/?active=true", tenant.headers).json()
    assert [q["id"] for q in actives] == [query["id"]]
    path = f"/queries/{query['id']}/"
    assert ai(stack, "GET", path, tenant.headers).json() == query
    changed = ai(stack, "PATCH", path, tenant.headers, {"active": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["text"], changed.json()["active"]) == ("best linen shirts", False)
    assert ai(stack, "GET", "/queries/?active=true", tenant.headers).json() == []
    assert ai(stack, "DELETE", path, tenant.headers).status_code == 204
    assert ai(stack, "GET", path, tenant.headers).status_code == 404
    assert ai(stack, "DELETE", path, tenant.headers).status_code == 404
    again = ai(stack, "POST", "/queries", tenant.headers, {"text": "again"}).json()
    assert again["id"] == query["id"] + 2, "a deleted query's id is not given out again"
    v1 = httpx.get(f"{stack.base_url}/api/v1/ai-pages/queries/{again['id']}",
                   headers=tenant.headers, timeout=30)
    assert v1.status_code == 200 and v1.json()["text"] == "again"


def test_a_segment_is_created_read_changed_and_deleted(stack: Stack, tenant: Tenant) -> None:
    project = "6d0f8b1c-4a3e-4c55-9e1f-2b7a8c9d0e1f"
    created = ai(stack, "POST", "/segments/", tenant.headers, {
        "name": "Summer", "project_ids": [project], "categories": ["Men", " Men "],
        "skus": ["A-1", "B-2", "A-1"]})
    assert created.status_code == 201, created.text
    segment = created.json()
    assert set(segment) == {"id", "name", "project_ids", "categories", "skus", "feeds",
                            "created_at", "updated_at"}
    assert (segment["name"], segment["project_ids"], segment["categories"], segment["skus"]) == (
        "Summer", [project], ["Men"], ["A-1", "B-2"])
    path = f"/segments/{segment['id']}/"
    assert ai(stack, "GET", path, tenant.headers).json() == segment
    assert [s["id"] for s in ai(stack, "GET", "/segments/", tenant.headers).json()] == [
        segment["id"]]
    changed = ai(stack, "PATCH", path, tenant.headers, {"name": "Winter", "skus": []})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["skus"], changed.json()["categories"]) == (
        "Winter", [], ["Men"])
    emptied = ai(stack, "PATCH", path, tenant.headers, {"project_ids": [], "categories": []})
    assert emptied.status_code == 422 and "project_ids, feeds, categories or skus" in emptied.text
    assert ai(stack, "DELETE", path, tenant.headers).status_code == 204
    assert ai(stack, "GET", path, tenant.headers).status_code == 404
    assert ai(stack, "PATCH", path, tenant.headers, {"name": "x"}).status_code == 404


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/queries/", {}, 400, "text"),
    ("/queries/", {"text": 5}, 400, "text"),
    ("/queries/", {"text": "ok", "active": "yes"}, 400, "active"),
    ("/queries/", {"text": "   "}, 422, "text must be"),
    ("/queries/", {"text": "x" * 501}, 422, "text must be"),
    ("/segments/", {"skus": ["A"]}, 400, "name"),
    ("/segments/", {"name": "No rule"}, 422, "project_ids, feeds, categories or skus"),
    ("/segments/", {"name": "S", "skus": "A-1"}, 400, "skus"),
    ("/segments/", {"name": "S", "project_ids": ["not-a-uuid"]}, 400, "project_ids"),
    ("/segments/", {"name": "S", "categories": [3]}, 400, "categories"),
    ("/segments/", {"name": " ", "skus": ["A"]}, 422, "name must be"),
])
def test_bad_input_is_refused_naming_the_field(
    stack: Stack, tenant: Tenant, path: str, body: dict[str, Any], status: int, says: str,
) -> None:
    response = ai(stack, "POST", path, tenant.headers, body)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"] and response.json()["status"] == status


@pytest.mark.parametrize("kind", ["queries", "segments"])
def test_ids_of_another_organization_or_that_no_one_has_are_404(
    stack: Stack, tenant: Tenant, kind: str,
) -> None:
    body = {"text": "ours"} if kind == "queries" else {"name": "Ours", "skus": ["A"]}
    ours = ai(stack, "POST", f"/{kind}/", tenant.headers, body).json()
    stranger = new_tenant(stack, "Stranger Shop")
    for method, change in [("GET", None), ("PATCH", {"name": "x", "text": "x"}),
                           ("DELETE", None)]:
        response = ai(stack, method, f"/{kind}/{ours['id']}/", stranger.headers, change)
        assert response.status_code == 404, response.text
        assert response.json()["status"] == 404
    assert ai(stack, "GET", f"/{kind}/", stranger.headers).json() == []
    for missing in ("0", "-1", "99999", str(2**40)):
        assert ai(stack, "GET", f"/{kind}/{missing}/", tenant.headers).status_code == 404
    malformed = ai(stack, "GET", f"/{kind}/abc/", tenant.headers)
    assert malformed.status_code == 400 and "an integer" in malformed.json()["detail"]
    assert ai(stack, "GET", f"/{kind}/{ours['id']}/", tenant.headers).json() == ours
    assert ai(stack, "GET", f"/{kind}/", {}).status_code == 401

"""Projects over real HTTP: made from a form, listed with their counts, updated, trashed and
restored, truncated and purged (by an admin), never seen by another organization."""

import json
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from commands.catalog.projects import UpdateProject, update_project
from tests.e2e.catalog_steps import (
    PROJECT_FIELDS,
    call,
    generate,
    items_by_external_id,
    manual_source,
    new_project,
)
from tests.e2e.helpers import Tenant, add_user, new_tenant, run_commands
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Projects Shop")


def test_a_project_made_from_a_form_has_the_seed_shape(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Spring linen", "shopify")
    assert set(project) == PROJECT_FIELDS
    assert (project["name"], project["platform"], project["status"]) == (
        "Spring linen", "shopify", "draft")
    assert project["status_counts"] == dict.fromkeys(
        ("pending", "generated", "flagged", "approved", "rejected", "synced", "excluded"), 0)
    assert project["item_count"] == project["source_count"] == 0
    assert project["deleted_at"] is None and project["settings"] == {}
    again = call(stack, "GET", f"/projects/{project['id']}", tenant.headers)
    assert again.status_code == 200 and again.json() == project
    unversioned = httpx.get(f"{stack.base_url}/api/projects", headers=tenant.headers, timeout=30)
    assert project["id"] in {p["id"] for p in unversioned.json()}


def test_a_multipart_or_json_body_works_too(stack: Stack, tenant: Tenant) -> None:
    multipart = call(stack, "POST", "/projects", tenant.headers,
                     files={"name": (None, "From FormData"), "platform": (None, "magento2")})
    assert multipart.status_code == 200, multipart.text
    assert multipart.json()["platform"] == "magento2"
    as_json = call(stack, "POST", "/projects", tenant.headers,
                   {"name": "From JSON", "platform": "woocommerce"})
    assert as_json.status_code == 200, as_json.text


@pytest.mark.parametrize(("form", "status", "names"), [
    ({"platform": "shopify"}, 400, "name"),
    ({"name": "Shop"}, 400, "platform"),
    ({"name": "Shop", "platform": "prestashop"}, 422, "prestashop"),
    ({"name": "   ", "platform": "shopify"}, 422, "name"),
])
def test_a_bad_form_is_refused_naming_the_problem(
    stack: Stack, tenant: Tenant, form: dict[str, str], status: int, names: str,
) -> None:
    response = call(stack, "POST", "/projects", tenant.headers, data=form)
    assert response.status_code == status, response.text
    assert names in response.json()["detail"]


def test_projects_list_with_counts_and_the_trash_lists_apart(
    stack: Stack, tenant: Tenant,
) -> None:
    project = new_project(stack, tenant, "Counted")
    manual_source(stack, tenant, project["id"])
    items = items_by_external_id(stack, tenant, project["id"])
    generate(stack, tenant, project["id"], items["MUG-1"]["id"], score=0.3)
    shown = call(stack, "GET", f"/projects/{project['id']}", tenant.headers).json()
    assert (shown["item_count"], shown["flagged_count"], shown["source_count"]) == (4, 1, 1)
    assert shown["status_counts"]["pending"] == 3

    assert call(stack, "DELETE", f"/projects/{project['id']}", tenant.headers).status_code == 204
    active = {p["id"] for p in call(stack, "GET", "/projects", tenant.headers).json()}
    trash = call(stack, "GET", "/projects?include_deleted=true", tenant.headers).json()
    assert project["id"] not in active
    assert [p["id"] for p in trash if p["id"] == project["id"]] == [project["id"]]
    assert all(p["deleted_at"] for p in trash)
    trashed = call(stack, "GET", f"/projects/{project['id']}", tenant.headers).json()
    assert trashed["deleted_at"] is not None and trashed["item_count"] == 4
    blocked = call(stack, "PATCH", f"/projects/{project['id']}/items/{items['TEE']['id']}",
                   tenant.headers, {"status": "approved"})
    assert blocked.status_code == 409 and "trash" in blocked.json()["detail"]

    restored = call(stack, "POST", f"/projects/{project['id']}/restore", tenant.headers)
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


class OneStoreConnection:
    """The store connections of a release that has one: `connection_id` of `org_id`."""

    def __init__(self, org_id: UUID, connection_id: UUID) -> None:
        self.org_id, self.connection_id = org_id, connection_id

    def exists(self, org_id: UUID, connection_id: UUID) -> bool:
        return (org_id, connection_id) == (self.org_id, self.connection_id)


def linked_project(stack: Stack, tenant: Tenant, name: str) -> tuple[dict[str, Any], str]:
    """A new project linked to a store connection of its organization (made on the command
    side, as the store context will)."""
    project, connection = new_project(stack, tenant, name), uuid4()
    run_commands(stack, (
        partial(update_project, connections=OneStoreConnection(tenant.org_id, connection)),
        UpdateProject(org_id=tenant.org_id, project_id=UUID(project["id"]),
                      store_connection_id=connection)))
    return project, str(connection)


def test_a_project_is_updated_partially(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Before")
    response = call(stack, "PATCH", f"/projects/{project['id']}", tenant.headers,
                    {"name": "After", "settings": {"language": "de"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["settings"], body["store_connection_id"]) == (
        "After", {"language": "de"}, None)
    for body_in, status in [({"store_connection_id": "nope"}, 400), ({"name": 5}, 400),
                            ({"name": ""}, 422), ({"store_connection_id": 5}, 400)]:
        bad = call(stack, "PATCH", f"/projects/{project['id']}", tenant.headers, body_in)
        assert bad.status_code == status, (body_in, bad.text)


def test_an_unknown_or_another_organizations_store_connection_is_not_found(
    stack: Stack, tenant: Tenant,
) -> None:
    project = new_project(stack, tenant, "Unlinked")
    _, theirs = linked_project(stack, new_tenant(stack, "Other Store"), "Theirs")
    for connection in (str(uuid4()), theirs):
        refused = call(stack, "PATCH", f"/projects/{project['id']}", tenant.headers,
                       {"name": "Renamed", "store_connection_id": connection})
        assert refused.status_code == 404, refused.text
        assert refused.json() == {"detail": f"store connection {connection} not found",
                                  "status": 404}
    after = call(stack, "GET", f"/projects/{project['id']}", tenant.headers).json()
    assert (after["name"], after["store_connection_id"]) == ("Unlinked", None)


@pytest.mark.parametrize("unlink", [None, ""])
def test_null_or_an_empty_string_unlinks_the_store_connection_and_absent_keeps_it(
    stack: Stack, tenant: Tenant, unlink: str | None,
) -> None:
    project, connection = linked_project(stack, tenant, "Linked")
    url = f"/projects/{project['id']}"
    kept = call(stack, "PATCH", url, tenant.headers, {"name": "Renamed"})
    assert kept.status_code == 200, kept.text
    assert (kept.json()["name"], kept.json()["store_connection_id"]) == ("Renamed", connection)
    unlinked = call(stack, "PATCH", url, tenant.headers, {"store_connection_id": unlink})
    assert unlinked.status_code == 200, unlinked.text
    assert (unlinked.json()["name"], unlinked.json()["store_connection_id"]) == (
        "Renamed", None)


def test_truncating_removes_every_source_and_item(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Truncated")
    manual_source(stack, tenant, project["id"])
    manual_source(stack, tenant, project["id"], [{"sku": "X-1", "name": "X"}], name="More")
    response = call(stack, "POST", f"/projects/{project['id']}/truncate", tenant.headers)
    assert response.status_code == 200, response.text
    assert (response.json()["sources_deleted"], response.json()["items_deleted"]) == (2, 5)
    after = call(stack, "GET", f"/projects/{project['id']}", tenant.headers).json()
    assert (after["item_count"], after["source_count"], after["status"]) == (0, 0, "draft")
    assert call(stack, "GET", f"/projects/{project['id']}/items", tenant.headers).json() == []


def test_a_purged_project_is_gone_both_ways(stack: Stack, tenant: Tenant) -> None:
    for path in ("/permanent", "?permanent=true"):
        project = new_project(stack, tenant, "Purged")
        manual_source(stack, tenant, project["id"])
        url = f"/projects/{project['id']}{path}"
        assert call(stack, "DELETE", url, tenant.headers).status_code == 204
        assert call(stack, "GET", f"/projects/{project['id']}", tenant.headers).status_code == 404
        assert call(stack, "GET", f"/projects/{project['id']}/items",
                    tenant.headers).status_code == 404
        assert call(stack, "DELETE", url, tenant.headers).status_code == 404


def test_a_member_may_work_on_a_project_but_not_delete_it(stack: Stack, tenant: Tenant) -> None:
    member = add_user(stack, tenant, "member")
    project = call(stack, "POST", "/projects", member,
                   data={"name": "Member's", "platform": "shopify"}).json()
    assert call(stack, "PATCH", f"/projects/{project['id']}", member,
                {"name": "Renamed"}).status_code == 200
    for method, path in [("DELETE", ""), ("DELETE", "/permanent"), ("POST", "/truncate")]:
        response = call(stack, method, f"/projects/{project['id']}{path}", member)
        assert response.status_code == 403, (method, path, response.text)
    assert call(stack, "GET", f"/projects/{project['id']}", member).json()["deleted_at"] is None


def test_another_organizations_project_answers_404_never_data(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Private")
    source = manual_source(stack, tenant, project["id"])
    intruder = new_tenant(stack, "Intruder").headers
    pid = project["id"]
    for method, path, body in [
        ("GET", f"/projects/{pid}", None), ("PATCH", f"/projects/{pid}", {"name": "Mine"}),
        ("DELETE", f"/projects/{pid}", None), ("DELETE", f"/projects/{pid}/permanent", None),
        ("POST", f"/projects/{pid}/restore", None), ("POST", f"/projects/{pid}/truncate", None),
        ("GET", f"/projects/{pid}/items", None), ("GET", f"/projects/{pid}/sources", None),
        ("GET", f"/projects/{pid}/export", None),
        ("DELETE", f"/projects/{pid}/sources/{source['id']}", None),
    ]:
        response = call(stack, method, path, intruder, body)
        assert response.status_code == 404, (method, path, response.text)
        assert "Linen" not in response.text and source["id"] not in response.text
    mine = call(stack, "GET", f"/projects/{pid}", tenant.headers).json()
    assert (mine["name"], mine["item_count"], mine["deleted_at"]) == ("Private", 4, None)
    assert pid not in json.dumps(call(stack, "GET", "/projects", intruder).json())


@pytest.mark.parametrize("path", ["/projects/not-a-uuid", "/projects/123/items",
                                  "/projects?include_deleted=maybe"])
def test_malformed_ids_and_parameters_get_a_4xx(stack: Stack, tenant: Tenant, path: str) -> None:
    response = call(stack, "GET", path, tenant.headers)
    assert 400 <= response.status_code < 500, response.text

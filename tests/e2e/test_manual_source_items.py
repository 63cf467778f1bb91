"""A manual source's products one at a time over HTTP: add, edit and remove one; the read
model follows; duplicates, identity changes, a file source's products and another
organization's ids are refused."""

from typing import Any

import pytest

from tests.e2e.catalog_steps import ITEM_FIELDS, call, manual_source, new_project
from tests.e2e.file_source_steps import fixture, source_items, uploaded
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Hand Typed Shop")


def _items_path(project: str, source: str) -> str:
    return f"/projects/{project}/sources/{source}/items"


def _source(stack: Stack, tenant: Tenant, project: str, source_id: str) -> dict[str, Any]:
    listed = call(stack, "GET", f"/projects/{project}/sources", tenant.headers).json()
    return next(s for s in listed["sources"] if s["id"] == source_id)


def test_a_product_is_added_edited_and_removed_one_at_a_time(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    source = call(stack, "POST", f"/projects/{project}/sources/manual", tenant.headers,
                  data={"name": "Typed in"}).json()["id"]
    path = _items_path(project, source)

    added = call(stack, "POST", path, tenant.headers,
                 {"sku": "MUG-1", "name": "Stoneware mug", "price": "12.00", "glaze": "blue"})
    assert added.status_code == 200, added.text
    item = added.json()
    assert set(item) >= ITEM_FIELDS
    assert (item["external_id"], item["status"], item["data_source_id"]) == (
        "MUG-1", "pending", source)
    assert item["source_data"]["platform_fields"] == {"glaze": "blue"}
    assert _source(stack, tenant, project, source)["item_count"] == 1

    edited = call(stack, "PATCH", f"{path}/{item['id']}", tenant.headers,
                  {"name": "Big stoneware mug", "price": None, "glaze": "green", "size": "L"})
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["name"] == body["source_data"]["name"] == "Big stoneware mug"
    assert "price" not in body["source_data"] and body["source_data"]["sku"] == "MUG-1"
    assert body["source_data"]["platform_fields"] == {"glaze": "green", "size": "L"}

    removed = call(stack, "DELETE", f"{path}/{item['id']}", tenant.headers)
    assert removed.status_code == 204, removed.text
    listed = call(stack, "GET", f"/projects/{project}/items", tenant.headers).json()
    assert listed == [] and _source(stack, tenant, project, source)["item_count"] == 0
    assert call(stack, "DELETE", f"{path}/{item['id']}", tenant.headers).status_code == 404
    back = call(stack, "POST", path, tenant.headers, {"sku": "MUG-1", "name": "Mug again"})
    assert back.status_code == 200 and back.json()["source_data"] == {"sku": "MUG-1",
                                                                      "name": "Mug again"}


@pytest.mark.parametrize(("method", "body", "status", "words"), [
    ("POST", {"sku": "TEE"}, 409, "already in this source"),
    ("POST", {"name": "No id"}, 400, "external_id or a sku"),
    ("POST", {"sku": 7}, 400, "sku must be a string"),
    ("POST", {"sku": "V", "item_type": "variant", "parent_external_id": "NOPE"}, 422, "parent"),
    ("PATCH", {"external_id": "OTHER"}, 422, "external_id cannot be changed"),
    ("PATCH", {"name": None}, 422, "name must be text"),
    ("PATCH", {"platform_fields": 3}, 400, "platform_fields"),
])
def test_a_product_change_that_breaks_a_rule_is_refused_with_why(
    stack: Stack, tenant: Tenant, method: str, body: dict[str, Any], status: int, words: str
) -> None:
    project = new_project(stack, tenant)["id"]
    source = manual_source(stack, tenant, project, [{"sku": "TEE", "name": "Tee"}])["id"]
    item = source_items(stack, tenant, project, source)[0]["id"]
    path = _items_path(project, source) + (f"/{item}" if method == "PATCH" else "")
    response = call(stack, method, path, tenant.headers, body)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


def test_a_file_sources_products_are_not_edited_one_by_one(stack: Stack, tenant: Tenant) -> None:
    name = "woocommerce-products-export.csv"
    project = new_project(stack, tenant)["id"]
    source = uploaded(stack, tenant, project, name, fixture(name))["id"]
    item = source_items(stack, tenant, project, source)[0]["id"]
    path = _items_path(project, source)
    for method, url, body in [("PATCH", f"{path}/{item}", {"name": "Mine"}),
                              ("DELETE", f"{path}/{item}", None),
                              ("POST", path, {"sku": "NEW", "name": "New"})]:
        response = call(stack, method, url, tenant.headers, body)
        assert response.status_code == 422, (method, response.text)
        assert "only in a manual source" in response.json()["detail"]


def test_another_organizations_source_and_items_are_not_found(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    source = manual_source(stack, tenant, project, [{"sku": "TEE", "name": "Tee"}])["id"]
    item = source_items(stack, tenant, project, source)[0]["id"]
    intruder = new_tenant(stack, "Intruder")
    path = _items_path(project, source)
    for method, url, body in [("POST", path, {"sku": "X", "name": "X"}),
                              ("PATCH", f"{path}/{item}", {"name": "Mine"}),
                              ("DELETE", f"{path}/{item}", None)]:
        response = call(stack, method, url, intruder.headers, body)
        assert response.status_code == 404, (method, response.text)
    assert source_items(stack, tenant, project, source)[0]["source_data"]["name"] == "Tee"

"""Data sources over real HTTP: manual ones made from a form (with products typed in), listed
with their item counts, deleted with their items."""

import json

import pytest

from tests.e2e.catalog_steps import SOURCE_FIELDS, call, items_by_external_id, manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Sources Shop")


def test_an_empty_manual_source_has_the_seed_shape(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    response = call(stack, "POST", f"/projects/{project}/sources/manual", tenant.headers,
                    data={})
    assert response.status_code == 200, response.text
    source = response.json()
    assert set(source) == SOURCE_FIELDS
    assert (source["name"], source["type"], source["status"], source["item_count"]) == (
        "Manual Entry", "manual", "completed", 0)
    assert source["project_id"] == project and source["config"] == {"platform": "woocommerce"}


def test_sources_are_listed_newest_first_with_the_total_of_items(
    stack: Stack, tenant: Tenant,
) -> None:
    project = new_project(stack, tenant)["id"]
    first = manual_source(stack, tenant, project, name="Shirts")
    second = manual_source(stack, tenant, project, [{"sku": "CAP", "name": "Cap"}], name="Caps")
    response = call(stack, "GET", f"/projects/{project}/sources", tenant.headers)
    assert response.status_code == 200, response.text
    listed = response.json()
    assert [s["id"] for s in listed["sources"]] == [second["id"], first["id"]]
    assert [s["item_count"] for s in listed["sources"]] == [1, 4]
    assert listed["total_items"] == 5


def test_deleting_a_source_deletes_its_items(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    kept = manual_source(stack, tenant, project, [{"sku": "KEEP", "name": "Kept"}])
    gone = manual_source(stack, tenant, project)
    response = call(stack, "DELETE", f"/projects/{project}/sources/{gone['id']}", tenant.headers)
    assert response.status_code == 204, response.text
    assert list(items_by_external_id(stack, tenant, project)) == ["KEEP"]
    shown = call(stack, "GET", f"/projects/{project}", tenant.headers).json()
    assert (shown["item_count"], shown["source_count"]) == (1, 1)
    again = call(stack, "DELETE", f"/projects/{project}/sources/{gone['id']}", tenant.headers)
    assert again.status_code == 404
    assert call(stack, "GET", f"/projects/{project}/sources", tenant.headers).json()[
        "sources"][0]["id"] == kept["id"]


@pytest.mark.parametrize(("form", "status", "says"), [
    ({"items": "[{"}, 400, "JSON array"),
    ({"items": '{"sku": "A"}'}, 400, "JSON array"),
    ({"items": '["A"]'}, 400, "item 1"),
    ({"items": '[{"sku": 5}]'}, 400, "sku"),
    ({"items": '[{"sku": "A", "item_type": "variant"}]'}, 422, "parent"),
    ({"items": json.dumps([{"sku": f"S{n}"} for n in range(1001)])}, 413, "1000"),
    ({"name": ""}, 422, "name"),
])
def test_bad_manual_products_are_refused_and_nothing_is_made(
    stack: Stack, tenant: Tenant, form: dict[str, str], status: int, says: str,
) -> None:
    project = new_project(stack, tenant)["id"]
    response = call(stack, "POST", f"/projects/{project}/sources/manual", tenant.headers,
                    data=form)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]
    assert call(stack, "GET", f"/projects/{project}/sources", tenant.headers).json() == {
        "sources": [], "total_items": 0}


def test_products_are_typed_in_as_json_too(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    response = call(stack, "POST", f"/projects/{project}/sources/manual", tenant.headers,
                    {"name": "Typed", "items": [{"name": "No SKU"}, {"sku": "B-2", "name": "B"}]})
    assert response.status_code == 200, response.text
    assert response.json()["item_count"] == 2
    assert list(items_by_external_id(stack, tenant, project)) == ["manual-1", "B-2"]


def test_another_organizations_sources_answer_404(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    source = manual_source(stack, tenant, project)
    intruder = new_tenant(stack, "Source Thief")
    theirs = new_project(stack, intruder)["id"]
    for path in (f"/projects/{project}/sources/{source['id']}",
                 f"/projects/{theirs}/sources/{source['id']}"):
        assert call(stack, "DELETE", path, intruder.headers).status_code == 404
    assert call(stack, "POST", f"/projects/{project}/sources/manual", intruder.headers,
                data={"name": "Mine"}).status_code == 404
    assert call(stack, "GET", f"/projects/{project}/sources", tenant.headers).json()[
        "total_items"] == 4

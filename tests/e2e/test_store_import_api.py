"""Import from a connected store end to end, against the local fake stores: filters are the
store's, preview counts without fetching products, execute runs a `store.import` job that
pages through the store and writes items whose parents and variants link as a file import's
do; importing again writes nothing new; no connection is 422, another organization's
project 404, a bad filter 422 naming it."""

from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.catalog_steps import call, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.store_steps import fake_stores, link, new_connection, stores_stack
from tests.fakes.store_catalogs import magento_products, shopify_products, woo_products
from tests.fakes.store_servers import FakeStores
from tests.support import Stack, wait_until

__all__ = ["fake_stores", "stores_stack"]
EXPECTED = {
    "shopify": {("brass-lamp", "simple", None), ("linen-shirt", "parent", None),
                ("SHIRT-S", "variant", "linen-shirt"), ("SHIRT-M", "variant", "linen-shirt")},
    "woocommerce": {("STOOL-1", "simple", None), ("SCARF", "parent", None),
                    ("SCARF-RED", "variant", "SCARF"), ("id:122", "variant", "SCARF")},
    "magento2": {("MH01", "parent", None), ("MH01-S", "variant", "MH01"),
                 ("MH01-M", "variant", "MH01"), ("WB01", "simple", None)},
}


@pytest.fixture(scope="module")
def shop(stores_stack: Stack, fake_stores: FakeStores) -> Tenant:
    fake_stores.state.shopify_products.extend(shopify_products())
    products, variations = woo_products()
    fake_stores.state.woo_products.extend(products)
    fake_stores.state.woo_variations.update(variations)
    fake_stores.state.magento_products.extend(magento_products())
    return new_tenant(stores_stack, "Import Shop")


def linked_project(stack: Stack, tenant: Tenant, fake: FakeStores,
                   platform: str) -> dict[str, Any]:
    project = new_project(stack, tenant, f"{platform} import", platform=platform)
    connection = new_connection(stack, tenant, platform, fake.url)
    assert link(stack, tenant, project["id"], connection["id"]).status_code == 200
    return project


def run_import(stack: Stack, tenant: Tenant, project_id: str,
               filters: dict[str, Any] | None = None) -> dict[str, Any]:
    started = call(stack, "POST", f"/projects/{project_id}/import/execute", tenant.headers,
                   {"filters": filters or {}})
    assert started.status_code == 200, started.text
    assert set(started.json()) == {"job_id", "estimated_batches"}
    url = f"{stack.base_url}/api/v1/jobs/{started.json()['job_id']}"
    ended: dict[str, Any] = {}

    def done() -> bool:
        ended.update(httpx.get(url, headers=tenant.headers, timeout=30).json())
        return ended["status"] in ("completed", "failed", "cancelled")
    wait_until(done, 60, "the store import to end")
    return ended


def items(stack: Stack, tenant: Tenant, project_id: str) -> list[dict[str, Any]]:
    response = call(stack, "GET", f"/projects/{project_id}/items", tenant.headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


@pytest.mark.parametrize("platform", ["shopify", "woocommerce", "magento2"])
def test_a_store_import_links_parents_and_variants_and_a_reimport_writes_nothing(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores, platform: str,
) -> None:
    project = linked_project(stores_stack, shop, fake_stores, platform)
    preview = call(stores_stack, "POST", f"/projects/{project['id']}/import/preview",
                   shop.headers, {"filters": {}})
    assert preview.status_code == 200, preview.text
    assert preview.json()["count"] >= 2 and preview.json()["batches"] == 1
    job = run_import(stores_stack, shop, project["id"])
    assert job["status"] == "completed", job
    first = items(stores_stack, shop, project["id"])
    assert {(i["external_id"], i["item_type"], i["parent_external_id"])
            for i in first} == EXPECTED[platform]
    by_external = {i["external_id"]: i for i in first}
    for item in first:
        if item["parent_external_id"]:
            assert item["parent_id"] == by_external[item["parent_external_id"]]["id"]
        assert item["source_data"]["platform_fields"]["store_id"]
    again = run_import(stores_stack, shop, project["id"])
    assert again["status"] == "completed", again
    second = items(stores_stack, shop, project["id"])
    assert sorted(i["id"] for i in second) == sorted(i["id"] for i in first)
    sources = call(stores_stack, "GET", f"/projects/{project['id']}/sources",
                   shop.headers).json()
    assert len(sources["sources"]) == 1
    [unit] = again["progress_detail"]
    assert (unit["detail"]["imported"], unit["detail"]["skipped"]) == (0, len(first)), unit


def test_filters_are_the_stores_choices(stores_stack: Stack, shop: Tenant,
                                        fake_stores: FakeStores) -> None:
    for platform, key in (("shopify", "collection"), ("woocommerce", "category"),
                          ("magento2", "category_id")):
        project = linked_project(stores_stack, shop, fake_stores, platform)
        response = call(stores_stack, "GET", f"/projects/{project['id']}/import/filters",
                        shop.headers)
        assert response.status_code == 200, response.text
        assert response.json()["platform"] == platform
        assert response.json()["filters"][key], response.json()
        bad = call(stores_stack, "POST", f"/projects/{project['id']}/import/preview",
                   shop.headers, {"filters": {"colour": "red"}})
        assert bad.status_code == 422 and "filters.colour" in bad.json()["detail"]


def test_the_status_filter_narrows_a_woocommerce_preview(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project = linked_project(stores_stack, shop, fake_stores, "woocommerce")
    for status, count in (("publish", 2), ("draft", 0)):
        response = call(stores_stack, "POST", f"/projects/{project['id']}/import/preview",
                        shop.headers, {"filters": {"status": status}})
        assert response.json()["count"] == count, response.text


def test_without_a_connection_is_422_and_another_organizations_project_404(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    bare = new_project(stores_stack, shop, "Unlinked", platform="shopify")
    for method, tail in (("GET", "filters"), ("POST", "preview"), ("POST", "execute")):
        body: dict[str, Any] | None = None if method == "GET" else {"filters": {}}
        response = call(stores_stack, method, f"/projects/{bare['id']}/import/{tail}",
                        shop.headers, body)
        assert response.status_code == 422, response.text
        assert "store_connection_id" in response.json()["detail"]
    theirs = linked_project(stores_stack, new_tenant(stores_stack, "Other Import"),
                            fake_stores, "shopify")
    for project_id in (theirs["id"], str(uuid4())):
        response = call(stores_stack, "POST", f"/projects/{project_id}/import/preview",
                        shop.headers, {"filters": {}})
        assert response.status_code == 404, response.text

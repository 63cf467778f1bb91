"""Sync back to the store end to end, against the local fake stores: approved items are
written (Shopify productUpdate through a THROTTLED answer, WooCommerce products/batch with a
per-item failure and a 429 + Retry-After, Magento PUT with custom_attributes and the
project's store view), become `synced`, and every attempt is in the item's history; the
stream sends an item event per item and a done; a non-approved item is 409, another
organization's project 404."""

import json
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.catalog_steps import call, generate
from tests.e2e.generation_steps import read_events, set_status
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.store_steps import fake_stores, stores_stack
from tests.e2e.test_store_import_api import items, linked_project, run_import
from tests.fakes.store_catalogs import magento_products, shopify_products, woo_products
from tests.fakes.store_servers import FakeStores
from tests.support import Stack, wait_until

__all__ = ["fake_stores", "stores_stack"]


@pytest.fixture(scope="module")
def shop(stores_stack: Stack, fake_stores: FakeStores) -> Tenant:
    fake_stores.state.shopify_products.extend(shopify_products())
    products, variations = woo_products()
    fake_stores.state.woo_products.extend(products)
    fake_stores.state.woo_variations.update(variations)
    fake_stores.state.magento_products.extend(magento_products())
    return new_tenant(stores_stack, "Sync Shop")


def imported(stack: Stack, tenant: Tenant, fake: FakeStores, platform: str,
             approve: tuple[str, ...]) -> tuple[str, dict[str, dict[str, Any]]]:
    project = linked_project(stack, tenant, fake, platform)
    assert run_import(stack, tenant, project["id"])["status"] == "completed"
    by_external = {i["external_id"]: i for i in items(stack, tenant, project["id"])}
    for external_id in approve:
        generate(stack, tenant, project["id"], by_external[external_id]["id"],
                 short=f"New copy for {external_id}.")
        set_status(stack, tenant, project["id"], by_external[external_id]["id"], "approved")
    return project["id"], by_external


def history(stack: Stack, tenant: Tenant, project: str, item_id: str) -> dict[str, Any]:
    response = call(stack, "GET", f"/projects/{project}/sync/{item_id}/history", tenant.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(("platform", "approve"), [
    ("shopify", ("brass-lamp",)), ("woocommerce", ("STOOL-1", "SCARF-RED")),
    ("magento2", ("MH01", "WB01"))])
def test_approved_items_are_written_marked_synced_and_in_the_history(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores, platform: str,
    approve: tuple[str, ...],
) -> None:
    project, by_external = imported(stores_stack, shop, fake_stores, platform, approve)
    before = len(fake_stores.state.updates(platform))
    if platform == "shopify":
        fake_stores.state.throttle_next = 1
    else:
        fake_stores.state.rate_limit_next = 1
    response = call(stores_stack, "POST", f"/projects/{project}/sync", shop.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"synced_count": len(approve), "failed_count": 0,
                               "failed_items": []}
    writes = fake_stores.state.updates(platform)[before:]
    assert writes and all("New copy for" in json.dumps(w.body) for w in writes)
    after = {i["external_id"]: i for i in items(stores_stack, shop, project)}
    assert {e for e, i in after.items() if i["status"] == "synced"} == set(approve)
    entry = history(stores_stack, shop, project, by_external[approve[0]]["id"])
    assert entry["item_external_id"] == approve[0]
    [attempt] = entry["history"]
    assert attempt["success"] is True and attempt["error_message"] is None
    assert attempt["store_connection_name"] == f"{platform} store"
    again = call(stores_stack, "POST", f"/projects/{project}/sync", shop.headers).json()
    assert again["synced_count"] == 0  # synced items are not written twice


def test_a_woocommerce_item_failing_in_the_batch_fails_alone(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported(stores_stack, shop, fake_stores, "woocommerce",
                                    ("STOOL-1", "SCARF"))
    fake_stores.state.failing_ids.add("11")
    try:
        body = call(stores_stack, "POST", f"/projects/{project}/sync", shop.headers).json()
    finally:
        fake_stores.state.failing_ids.discard("11")
    assert (body["synced_count"], body["failed_count"]) == (1, 1)
    assert body["failed_items"][0]["external_id"] == "STOOL-1"
    assert "Invalid ID" in body["failed_items"][0]["error"]
    [attempt] = history(stores_stack, shop, project, by_external["STOOL-1"]["id"])["history"]
    assert attempt["success"] is False and "Invalid ID" in attempt["error_message"]


def test_the_stream_sends_an_item_event_per_selected_item_then_done(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported(stores_stack, shop, fake_stores, "magento2", ("WB01",))
    selected = [by_external["WB01"]["id"], by_external["MH01-S"]["id"]]
    with httpx.stream("POST", f"{stores_stack.base_url}/api/v1/projects/{project}/sync/stream",
                      headers=shop.headers, json={"mode": "selected", "item_ids": selected},
                      timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    assert [name for name, _ in events] == ["item", "item", "done"]
    assert [(e["external_id"], e["success"]) for _, e in events[:2]] == [
        ("WB01", True), ("MH01-S", False)]
    assert "only approved items sync" in events[1][1]["error"]
    assert events[2][1] == {"synced_count": 1, "failed_count": 1}


def test_one_item_sync_and_the_store_view(stores_stack: Stack, shop: Tenant,
                                          fake_stores: FakeStores) -> None:
    project, by_external = imported(stores_stack, shop, fake_stores, "magento2", ("MH01",))
    assert call(stores_stack, "PATCH", f"/projects/{project}", shop.headers,
                {"settings": {"store_view": "default"}}).status_code == 200
    pending = call(stores_stack, "POST", f"/projects/{project}/sync/{by_external['WB01']['id']}",
                   shop.headers)
    assert pending.status_code == 409, pending.text
    one = call(stores_stack, "POST", f"/projects/{project}/sync/{by_external['MH01']['id']}",
               shop.headers)
    assert one.status_code == 200, one.text
    assert one.json()["success"] is True and one.json()["synced_at"]
    last = fake_stores.state.updates("magento2")[-1]
    assert last.path == "/rest/default/V1/products/MH01"
    codes = {a["attribute_code"] for a in last.body["product"]["custom_attributes"]}
    assert {"description", "short_description", "meta_title", "meta_description"} <= codes


def test_another_organizations_project_or_item_is_not_found(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    theirs, by_external = imported(stores_stack, new_tenant(stores_stack, "Other Sync"),
                                   fake_stores, "shopify", ())
    item = by_external["brass-lamp"]["id"]
    for method, path, body in (
            ("POST", f"/projects/{theirs}/sync", None),
            ("POST", f"/projects/{theirs}/sync/{item}", None),
            ("POST", f"/projects/{theirs}/sync/stream", {"mode": "pending"}),
            ("GET", f"/projects/{theirs}/sync/{item}/history", None),
            ("POST", f"/projects/{uuid4()}/sync", None)):
        response = call(stores_stack, method, path, shop.headers, body)
        assert response.status_code == 404, (path, response.text)
    bad = call(stores_stack, "POST", f"/projects/{theirs}/sync/stream", shop.headers,
               {"mode": "sometimes"})
    assert bad.status_code == 400 and "mode" in bad.json()["detail"]


def test_a_sync_job_writes_the_approved_items_in_the_background(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, _ = imported(stores_stack, shop, fake_stores, "woocommerce",
                                    ("STOOL-1",))
    bad = call(stores_stack, "POST", f"/projects/{project}/jobs", shop.headers,
               {"job_type": "sync", "payload": {"mode": "sometimes"}})
    assert bad.status_code == 422 and "payload.mode" in bad.json()["detail"]
    started = call(stores_stack, "POST", f"/projects/{project}/jobs", shop.headers,
                   {"job_type": "sync", "payload": {"mode": "pending"}})
    assert started.status_code == 200, started.text
    url = f"{stores_stack.base_url}/api/v1/jobs/{started.json()['job_id']}"
    ended: dict[str, Any] = {}

    def done() -> bool:
        ended.update(httpx.get(url, headers=shop.headers, timeout=30).json())
        return ended["status"] in ("completed", "failed", "cancelled")
    wait_until(done, 60, "the sync job to end")
    assert ended["status"] == "completed" and ended["job_type"] == "sync", ended
    assert ended["progress_detail"][0]["detail"]["synced_count"] == 1
    after = {i["external_id"]: i["status"] for i in items(stores_stack, shop, project)}
    assert after["STOOL-1"] == "synced"

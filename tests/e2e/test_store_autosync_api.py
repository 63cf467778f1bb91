"""Store auto-sync end to end, against the local fake stores: with `auto_sync` on, an item
approved in a linked project is written to the store by the auto-sync subscriber (a job of
one item, one attempt in the item's history); with it off nothing is written. The
subscriber killed (SIGKILL) between approvals and started again writes every approved item
exactly once, and one made to read the whole log again writes nothing more. The README's
external NATS client, run as written, follows `events.catalog.>` from its own durable
consumer and resumes after a restart."""

import asyncio
import json
import signal
from typing import Any

import psycopg
import pytest

from tests.e2e.catalog_steps import call, generate, new_project
from tests.e2e.generation_steps import set_status
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.store_steps import fake_stores, link, new_connection, stores_stack
from tests.e2e.test_store_import_api import items, run_import
from tests.e2e.test_store_sync_api import history
from tests.fakes.store_catalogs import magento_products, shopify_products, woo_products
from tests.fakes.store_servers import FakeStores
from tests.support import ROOT, Stack, scalar, store_position, wait_until

__all__ = ["fake_stores", "stores_stack"]
SUBSCRIBER = "store_autosync"


@pytest.fixture(scope="module")
def shop(stores_stack: Stack, fake_stores: FakeStores) -> Tenant:
    fake_stores.state.shopify_products.extend(shopify_products())
    products, variations = woo_products()
    fake_stores.state.woo_products.extend(products)
    fake_stores.state.woo_variations.update(variations)
    fake_stores.state.magento_products.extend(magento_products())
    stores_stack.processes.start("autosync", "autosync")
    return new_tenant(stores_stack, "Auto Sync Shop")


def imported_project(stack: Stack, tenant: Tenant, fake: FakeStores, platform: str,
                     auto_sync: bool) -> tuple[str, dict[str, dict[str, Any]]]:
    project = new_project(stack, tenant, f"{platform} auto {auto_sync}", platform=platform)
    connection = new_connection(stack, tenant, platform, fake.url, auto_sync=auto_sync)
    assert connection["auto_sync"] is auto_sync
    assert link(stack, tenant, project["id"], connection["id"]).status_code == 200
    assert run_import(stack, tenant, project["id"])["status"] == "completed"
    return project["id"], {i["external_id"]: i for i in items(stack, tenant, project["id"])}


def approve(stack: Stack, tenant: Tenant, project: str, item: dict[str, Any], text: str) -> None:
    generate(stack, tenant, project, item["id"], short=text)
    set_status(stack, tenant, project, item["id"], "approved")


def writes_of(fake: FakeStores, platform: str, text: str) -> int:
    return sum(text in json.dumps(w.body) for w in fake.state.updates(platform))


def subscriber_position(stack: Stack) -> int:
    found = scalar(stack.settings, "SELECT position FROM subscriber_tracking WHERE name = %s",
                   SUBSCRIBER)
    return int(found or 0)


def wait_subscriber_caught_up(stack: Stack) -> None:
    target = store_position(stack.settings)
    wait_until(lambda: subscriber_position(stack) >= target, 60,
               f"the auto-sync subscriber to reach {target}")


def status_of(stack: Stack, tenant: Tenant, project: str, item_id: str) -> str:
    return str({i["id"]: i for i in items(stack, tenant, project)}[item_id]["status"])


def wait_synced(stack: Stack, tenant: Tenant, project: str, item_ids: list[str]) -> None:
    wait_until(lambda: all(status_of(stack, tenant, project, i) == "synced" for i in item_ids),
               90, "the approved items to be synced")


def test_an_item_approved_with_auto_sync_on_is_written_once_and_in_its_history(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported_project(stores_stack, shop, fake_stores, "shopify", True)
    lamp = by_external["brass-lamp"]
    approve(stores_stack, shop, project, lamp, "Auto copy for brass-lamp.")
    wait_synced(stores_stack, shop, project, [lamp["id"]])
    assert writes_of(fake_stores, "shopify", "Auto copy for brass-lamp.") == 1
    [attempt] = history(stores_stack, shop, project, lamp["id"])["history"]
    assert attempt["success"] is True and attempt["store_connection_name"] == "shopify store"
    jobs = call(stores_stack, "GET", f"/projects/{project}/jobs", shop.headers).json()
    assert [j["job_type"] for j in jobs].count("sync") == 1


def test_with_auto_sync_off_an_approved_item_is_not_written(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported_project(stores_stack, shop, fake_stores, "woocommerce",
                                            False)
    stool = by_external["STOOL-1"]
    approve(stores_stack, shop, project, stool, "Manual copy for STOOL-1.")
    wait_subscriber_caught_up(stores_stack)
    assert status_of(stores_stack, shop, project, stool["id"]) == "approved"
    assert history(stores_stack, shop, project, stool["id"])["history"] == []
    jobs = call(stores_stack, "GET", f"/projects/{project}/jobs", shop.headers).json()
    assert "sync" not in [j["job_type"] for j in jobs]
    assert writes_of(fake_stores, "woocommerce", "Manual copy for STOOL-1.") == 0


def test_turning_auto_sync_on_through_the_connection_patch(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    other = new_tenant(stores_stack, "Auto Sync Other")
    connection = new_connection(stores_stack, shop, "magento2", fake_stores.url)
    assert connection["auto_sync"] is False
    path = f"/store-connections/{connection['id']}"
    assert call(stores_stack, "PATCH", path, other.headers, {"auto_sync": True}).status_code == 404
    bad = call(stores_stack, "PATCH", path, shop.headers, {"auto_sync": "yes"})
    assert bad.status_code == 400 and "auto_sync" in bad.json()["detail"]
    turned = call(stores_stack, "PATCH", path, shop.headers, {"auto_sync": True})
    assert turned.status_code == 200 and turned.json()["auto_sync"] is True
    assert call(stores_stack, "GET", path, shop.headers).json()["auto_sync"] is True
    off = call(stores_stack, "PATCH", path, shop.headers, {"name": "renamed"})
    assert off.json()["auto_sync"] is True and off.json()["name"] == "renamed"


def test_a_subscriber_killed_between_approvals_writes_each_item_exactly_once(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported_project(stores_stack, shop, fake_stores, "magento2", True)
    chosen = [by_external[e] for e in sorted(by_external)][:3]
    assert len(chosen) == 3
    texts = {i["id"]: f"Fault copy for {i['external_id']}." for i in chosen}
    procs = stores_stack.processes
    approve(stores_stack, shop, project, chosen[0], texts[chosen[0]["id"]])
    wait_synced(stores_stack, shop, project, [chosen[0]["id"]])
    approve(stores_stack, shop, project, chosen[1], texts[chosen[1]["id"]])
    procs.kill("autosync", signal.SIGKILL)  # maybe mid-way through the second approval
    approve(stores_stack, shop, project, chosen[2], texts[chosen[2]["id"]])
    procs.start("autosync", "autosync")
    wait_synced(stores_stack, shop, project, [i["id"] for i in chosen])
    counts = {t: writes_of(fake_stores, "magento2", t) for t in texts.values()}
    assert set(counts.values()) == {1}, counts
    # a crash after the effect, before its position was saved: the approvals come again
    procs.kill("autosync", signal.SIGKILL)
    with psycopg.connect(stores_stack.settings.database_url) as conn:
        conn.execute("UPDATE subscriber_tracking SET position = 0 WHERE name = %s",
                     (SUBSCRIBER,))
    procs.start("autosync", "autosync")
    wait_subscriber_caught_up(stores_stack)
    assert {t: writes_of(fake_stores, "magento2", t) for t in texts.values()} == counts
    for item in chosen:
        assert len(history(stores_stack, shop, project, item["id"])["history"]) == 1


def readme_client() -> Any:
    """The README's external NATS client, exactly as written there."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- external-nats-client -->")[1].split(
        "<!-- /external-nats-client -->")[0]
    code = block.split("```python")[1].split("```")[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own README, as written
    return namespace["follow_catalog"]


def follow_until(stack: Stack, item_id: str, durable: str) -> list[tuple[str, int, str, Any]]:
    """What the README's client hands over, until the approval of `item_id`."""
    follow_catalog = readme_client()
    seen: list[tuple[str, int, str, Any]] = []

    async def scenario() -> None:
        stop = asyncio.Event()

        async def handle(topic: str, position: int, aggregate_id: str, data: Any) -> None:
            seen.append((topic, position, aggregate_id, data))
            if topic == "catalog.ItemApproved" and aggregate_id == item_id:
                stop.set()
        task = asyncio.create_task(follow_catalog(
            stack.settings.nats_url, handle, stop, durable=durable,
            stream=stack.settings.events_stream, prefix=stack.settings.events_subject))
        await asyncio.wait_for(asyncio.shield(task), 60)
    asyncio.run(scenario())
    return seen


def test_the_readme_client_follows_the_catalog_events_from_its_own_durable_consumer(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    project, by_external = imported_project(stores_stack, shop, fake_stores, "shopify", False)
    lamp, shirt = by_external["brass-lamp"], by_external["linen-shirt"]
    approve(stores_stack, shop, project, lamp, "Copy the README client sees.")
    first = follow_until(stores_stack, lamp["id"], "readme-client")
    assert {topic.split(".")[0] for topic, *_ in first} == {"catalog"}
    positions = [position for _, position, *_ in first]
    assert positions == sorted(set(positions))
    approval = next(d for t, _, a, d in first if t == "catalog.ItemApproved" and a == lamp["id"])
    assert approval["project_id"] == project and approval["org_id"] == str(shop.org_id)
    approve(stores_stack, shop, project, shirt, "Copy seen after a restart.")
    again = follow_until(stores_stack, shirt["id"], "readme-client")
    assert min(position for _, position, *_ in again) > max(positions)  # resumed, no repeats
    assert ("catalog.ItemApproved", shirt["id"]) in {(t, a) for t, _, a, _ in again}

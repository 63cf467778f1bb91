"""Store connections end to end, against local fake Shopify, WooCommerce and Magento servers:
create, list with project counts, get, patch, test (live call: active or error), delete
(409 while a project is linked); projects link their platform's connection only; another
organization's ids are 404 everywhere; bad input is 4xx naming the field; credentials are
in no answer, event or log line."""

from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest

from tests.e2e.catalog_steps import call, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.store_steps import CREDENTIALS, fake_stores, link, new_connection, stores_stack
from tests.fakes.store_servers import FakeStores
from tests.support import Stack

__all__ = ["fake_stores", "stores_stack"]
OUT_FIELDS = {"id", "name", "platform", "base_url", "status", "has_credentials",
              "last_connected_at", "created_at", "updated_at", "project_count", "auto_sync"}


@pytest.fixture(scope="module")
def shop(stores_stack: Stack) -> Tenant:
    return new_tenant(stores_stack, "Stores Shop")


def test_route(stack: Stack, tenant: Tenant, connection_id: str) -> dict[str, Any]:
    response = call(stack, "POST", f"/store-connections/{connection_id}/test", tenant.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


test_route.__test__ = False  # type: ignore[attr-defined]


@pytest.mark.parametrize(("platform", "store_name"), [
    ("shopify", "Fake Shopify Shop"), ("woocommerce", "Fake Woo Shop"),
    ("magento2", "Fake Magento Store")])
def test_a_connection_is_created_tested_and_shows_no_credentials(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores, platform: str, store_name: str,
) -> None:
    created = new_connection(stores_stack, shop, platform, fake_stores.url + "/")
    assert set(created) == OUT_FIELDS
    assert (created["platform"], created["base_url"], created["status"],
            created["has_credentials"], created["project_count"],
            created["last_connected_at"]) == (platform, fake_stores.url, "pending", True, 0, None)
    assert test_route(stores_stack, shop, created["id"]) == {
        "success": True, "message": "connected", "store_name": store_name}
    after = call(stores_stack, "GET", f"/store-connections/{created['id']}", shop.headers).json()
    assert after["status"] == "active" and after["last_connected_at"] is not None
    listed = call(stores_stack, "GET", "/store-connections", shop.headers).json()
    assert created["id"] in {c["id"] for c in listed}
    assert all(set(c) == OUT_FIELDS for c in listed)


@pytest.mark.parametrize("platform", ["shopify", "woocommerce", "magento2"])
def test_wrong_credentials_make_the_test_fail_and_the_status_error(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores, platform: str,
) -> None:
    wrong = {field: "wrong-" + value for field, value in CREDENTIALS[platform].items()}
    created = new_connection(stores_stack, shop, platform, fake_stores.url, **wrong)
    assert test_route(stores_stack, shop, created["id"]) == {
        "success": False, "message": "the store refused the credentials", "store_name": None}
    after = call(stores_stack, "GET", f"/store-connections/{created['id']}", shop.headers)
    assert after.json()["status"] == "error"
    fixed = call(stores_stack, "PATCH", f"/store-connections/{created['id']}", shop.headers,
                 CREDENTIALS[platform])
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["status"] == "pending"
    assert test_route(stores_stack, shop, created["id"])["success"] is True


def test_an_unreachable_store_or_a_connection_without_credentials_fails_its_test(
    stores_stack: Stack, shop: Tenant,
) -> None:
    bare = call(stores_stack, "POST", "/store-connections", shop.headers, {
        "name": "Bare", "platform": "shopify", "base_url": "https://shop.example.test"})
    assert bare.status_code == 200, bare.text
    assert bare.json()["has_credentials"] is False
    assert test_route(stores_stack, shop, bare.json()["id"]) == {
        "success": False, "message": "the connection has no credentials", "store_name": None}
    private = new_connection(stores_stack, shop, "magento2", "http://10.0.0.1:9")
    result = test_route(stores_stack, shop, private["id"])
    assert result["success"] is False and "private" in result["message"]


def test_patch_changes_only_the_given_fields(stores_stack: Stack, shop: Tenant,
                                             fake_stores: FakeStores) -> None:
    created = new_connection(stores_stack, shop, "woocommerce", fake_stores.url)
    url = f"/store-connections/{created['id']}"
    renamed = call(stores_stack, "PATCH", url, shop.headers, {"name": "Renamed", "status": "inactive"})
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert (body["name"], body["status"], body["base_url"], body["platform"]) == (
        "Renamed", "inactive", fake_stores.url, "woocommerce")
    # one half of WooCommerce's pair is completed by the one held
    secret_only = call(stores_stack, "PATCH", url, shop.headers, {"consumer_secret": "cs_other_1"})
    assert secret_only.status_code == 200, secret_only.text
    assert test_route(stores_stack, shop, created["id"])["success"] is False


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"platform": "shopify", "base_url": "https://x.test"}, 400, "name"),
    ({"name": "X", "platform": "bigcommerce", "base_url": "https://x.test"}, 422, "platform"),
    ({"name": "X", "platform": "shopify", "base_url": "ftp://x.test"}, 422, "base_url"),
    ({"name": "X", "platform": "shopify", "base_url": "https://u:p@x.test"}, 422, "base_url"),
    ({"name": "", "platform": "shopify", "base_url": "https://x.test"}, 422, "name"),
    ({"name": "X", "platform": "shopify", "base_url": "https://x.test",
      "consumer_key": "ck_123456"}, 422, "consumer_key"),
    ({"name": "X", "platform": "woocommerce", "base_url": "https://x.test",
      "consumer_key": "ck_123456"}, 422, "consumer_secret"),
    ({"name": "X", "platform": "shopify", "base_url": 5}, 400, "base_url"),
])
def test_bad_input_is_a_4xx_naming_the_field(stores_stack: Stack, shop: Tenant,
                                             body: dict[str, Any], status: int,
                                             field: str) -> None:
    response = call(stores_stack, "POST", "/store-connections", shop.headers, body)
    assert response.status_code == status, response.text
    assert field in response.json()["detail"]


def test_a_bad_status_on_patch_is_422(stores_stack: Stack, shop: Tenant,
                                     fake_stores: FakeStores) -> None:
    created = new_connection(stores_stack, shop, "shopify", fake_stores.url)
    response = call(stores_stack, "PATCH", f"/store-connections/{created['id']}", shop.headers,
                    {"status": "sleeping"})
    assert response.status_code == 422 and "status" in response.json()["detail"]


def test_projects_link_their_platforms_connection_and_block_its_deletion(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    connection = new_connection(stores_stack, shop, "shopify", fake_stores.url)
    url = f"/store-connections/{connection['id']}"
    woo_project = new_project(stores_stack, shop, "Woo", platform="woocommerce")
    mismatch = link(stores_stack, shop, woo_project["id"], connection["id"])
    assert mismatch.status_code == 422 and "store_connection_id" in mismatch.json()["detail"]
    project = new_project(stores_stack, shop, "Shopify", platform="shopify")
    linked = link(stores_stack, shop, project["id"], connection["id"])
    assert linked.status_code == 200, linked.text
    assert linked.json()["store_connection_id"] == connection["id"]
    assert call(stores_stack, "GET", url, shop.headers).json()["project_count"] == 1
    refused = call(stores_stack, "DELETE", url, shop.headers)
    assert refused.status_code == 409, refused.text
    assert "linked" in refused.json()["detail"]
    assert link(stores_stack, shop, project["id"], None).status_code == 200
    assert call(stores_stack, "GET", url, shop.headers).json()["project_count"] == 0
    deleted = call(stores_stack, "DELETE", url, shop.headers)
    assert deleted.status_code == 204, deleted.text
    assert call(stores_stack, "GET", url, shop.headers).status_code == 404
    gone = link(stores_stack, shop, project["id"], connection["id"])
    assert gone.status_code == 404


def test_another_organizations_connection_is_not_found_on_every_route(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    theirs = new_connection(stores_stack, new_tenant(stores_stack, "Other"), "shopify",
                            fake_stores.url)
    project = new_project(stores_stack, shop, "Mine", platform="shopify")
    for connection_id in (theirs["id"], str(uuid4())):
        url = f"/store-connections/{connection_id}"
        for method, path, body in (("GET", url, None), ("PATCH", url, {"name": "Mine"}),
                                   ("DELETE", url, None), ("POST", url + "/test", None)):
            response = call(stores_stack, method, path, shop.headers, body)
            assert response.status_code == 404, (method, path, response.text)
        assert link(stores_stack, shop, project["id"], connection_id).status_code == 404
    assert theirs["id"] not in {
        c["id"] for c in call(stores_stack, "GET", "/store-connections", shop.headers).json()}


def test_credentials_are_in_no_answer_event_or_log_line(
    stores_stack: Stack, shop: Tenant, fake_stores: FakeStores,
) -> None:
    secrets = {"access_token": "shpat_never_shown_9f8e7d"}
    created = new_connection(stores_stack, shop, "shopify", fake_stores.url, **secrets)
    answers = [call(stores_stack, "GET", "/store-connections", shop.headers).text,
               call(stores_stack, "PATCH", f"/store-connections/{created['id']}", shop.headers,
                    {"access_token": "shpat_also_never_shown_1a2b"}).text,
               str(created), str(test_route(stores_stack, shop, created["id"]))]
    plain = ("shpat_never_shown_9f8e7d", "shpat_also_never_shown_1a2b")
    for text in answers:
        assert not any(secret in text for secret in plain)
    with psycopg.connect(stores_stack.settings.database_url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.columns"
            " WHERE table_name LIKE '%%events' AND column_name = 'state'").fetchall()]
        assert tables
        for table in tables:
            rows = conn.execute(f"SELECT convert_from(state, 'UTF8') FROM {table}").fetchall()
            assert not any(secret in row[0] for row in rows for secret in plain)
        sealed = conn.execute("SELECT ciphertext FROM secrets WHERE owner_id = %s",
                              (created["id"],)).fetchall()
        assert len(sealed) == 1 and not any(s.encode() in bytes(sealed[0][0]) for s in plain)
    logs = "\n".join(p.read_text(errors="replace")
                     for p in stores_stack.processes.log_dir.glob("*.log"))
    assert "/api/v1/store-connections" in logs
    assert not any(secret in logs for secret in plain)


def test_the_asyncapi_document_is_served(stores_stack: Stack) -> None:
    response = httpx.get(f"{stores_stack.base_url}/asyncapi.json", timeout=30)
    assert response.status_code == 200, response.text
    channels = response.json()["channels"]
    assert channels["stores_StoreConnectionTested"]["address"] == (
        f"{stores_stack.settings.events_subject}.stores.StoreConnectionTested")

"""Stock-photo keys (`/api/v1/stock-photo-keys`) and the search across providers
(`/api/v1/stock-photos/search`) over real HTTP, against a local fake of Unsplash and Pexels:
a key sealed at rest and shown only as a fingerprint (never in an event or a log), each
provider called with its own auth header and credited as it requires, the organization's
key before none, a refused key or no key a 422 naming what to do, a failing provider left
out while the other answers, and another organization's keys not found."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.stock_photo_server import FakeStockPhotos, running_fake_stock_photos
from tests.support import Stack, own_stack

KEYS = "/api/v1/stock-photo-keys"
SEARCH = "/api/v1/stock-photos/search"
UNSPLASH_KEY, PEXELS_KEY = "unsplash-access-Q7dX2kPz", "pexels-key-9fLm3Rt8Wq"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStockPhotos]:
    with running_fake_stock_photos() as stock:
        stock.unsplash_keys.add(UNSPLASH_KEY)
        stock.pexels_keys.add(PEXELS_KEY)
        yield stock


@pytest.fixture(scope="module")
def stock_stack(servers: EmbeddedServers, fake: FakeStockPhotos,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("stock-stack"), worker=False,
                   unsplash_base_url=fake.base_url, pexels_base_url=fake.base_url) as stack:
        yield stack


@pytest.fixture(scope="module")
def tenant(stock_stack: Stack) -> Tenant:
    return new_tenant(stock_stack, "Stock Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str], body: object = None,
         **kwargs: Any) -> httpx.Response:
    if body is not None:
        kwargs["json"] = body
    return httpx.request(method, f"{stack.base_url}{path}", headers=headers, timeout=30,
                         **kwargs)


def add_key(stack: Stack, tenant: Tenant, provider: str, key: str) -> dict[str, Any]:
    response = call(stack, "POST", KEYS, tenant.headers, {"provider": provider, "api_key": key})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def test_a_key_is_sealed_and_shown_only_as_a_fingerprint(
    stock_stack: Stack, tenant: Tenant,
) -> None:
    created = add_key(stock_stack, tenant, "Pexels", PEXELS_KEY)
    assert created["provider"] == "pexels" and created["is_active"] is True
    assert created["organization_id"] == str(tenant.org_id)
    assert PEXELS_KEY not in str(created) and len(created["key_fingerprint"]) == 16
    listed = call(stock_stack, "GET", KEYS, tenant.headers).json()
    assert created in listed
    changed = call(stock_stack, "PATCH", f"{KEYS}/{created['id']}", tenant.headers,
                   {"api_key": "another-pexels-key", "is_active": False}).json()
    assert changed["is_active"] is False
    assert changed["key_fingerprint"] != created["key_fingerprint"]
    with psycopg.connect(stock_stack.settings.database_url) as conn:
        states = b"\n".join(bytes(r[0]) for r in conn.execute("SELECT state FROM events"))
        sealed = conn.execute("SELECT ciphertext FROM secrets WHERE owner_id = %s",
                              (created["id"],)).fetchone()
    assert sealed is not None and b"another-pexels-key" not in bytes(sealed[0])
    logs = b"".join(p.read_bytes() for p in Path(stock_stack.processes.log_dir).glob("*.log"))
    for secret in (PEXELS_KEY, "another-pexels-key"):
        assert secret.encode() not in states and secret.encode() not in logs
    assert created["key_fingerprint"].encode() in states  # the events are there
    gone = call(stock_stack, "DELETE", f"{KEYS}/{created['id']}", tenant.headers)
    assert gone.status_code == 204
    assert created["id"] not in str(call(stock_stack, "GET", KEYS, tenant.headers).json())
    with psycopg.connect(stock_stack.settings.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM secrets WHERE owner_id = %s",
                            (created["id"],)).fetchone() == (0,)


def test_bad_keys_and_another_organizations_keys_are_refused(
    stock_stack: Stack, tenant: Tenant,
) -> None:
    bad = call(stock_stack, "POST", KEYS, tenant.headers, {"provider": "flickr", "api_key": "k"})
    assert bad.status_code == 422 and "provider" in bad.json()["detail"]
    blank = call(stock_stack, "POST", KEYS, tenant.headers, {"provider": "pexels", "api_key": " "})
    assert blank.status_code == 422 and "api_key" in blank.json()["detail"]
    missing = call(stock_stack, "POST", KEYS, tenant.headers, {"provider": "pexels"})
    assert missing.status_code == 400 and "api_key" in missing.text
    mine = add_key(stock_stack, tenant, "unsplash", "mine-only-key")
    other = new_tenant(stock_stack, "Stock Other")
    for method, body in (("PATCH", {"is_active": False}), ("DELETE", None)):
        response = call(stock_stack, method, f"{KEYS}/{mine['id']}", other.headers, body)
        assert response.status_code == 404, (method, response.text)
    assert call(stock_stack, "GET", KEYS, other.headers).json() == []
    call(stock_stack, "DELETE", f"{KEYS}/{mine['id']}", tenant.headers)


def test_without_a_key_the_search_says_how_to_add_one(stock_stack: Stack) -> None:
    lonely = new_tenant(stock_stack, "Stock Keyless")
    response = call(stock_stack, "GET", SEARCH, lonely.headers, params={"q": "linen"})
    assert response.status_code == 422 and "stock-photo-keys" in response.json()["detail"]
    for params in ({}, {"q": ""}, {"q": "x", "per_page": "81"}, {"q": "x", "page": "0"},
                   {"q": "x", "orientation": "diagonal"}, {"q": "x", "provider": "flickr"}):
        bad = call(stock_stack, "GET", SEARCH, lonely.headers, params=params)
        assert bad.status_code == 400, (params, bad.text)


def test_the_search_spans_both_providers_with_their_credit(
    stock_stack: Stack, fake: FakeStockPhotos,
) -> None:
    shop = new_tenant(stock_stack, "Stock Both")
    add_key(stock_stack, shop, "unsplash", UNSPLASH_KEY)
    add_key(stock_stack, shop, "pexels", PEXELS_KEY)
    response = call(stock_stack, "GET", SEARCH, shop.headers,
                    params={"q": "linen shirt", "per_page": "6", "page": "2",
                            "orientation": "landscape"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total_results"], body["page"], body["per_page"]) == (84, 2, 6)
    assert body["providers"] == ["pexels", "unsplash"] and body["failed"] == {}
    assert [p["provider"] for p in body["photos"]] == ["pexels", "unsplash"] * 3
    pexels, unsplash = body["photos"][0], body["photos"][1]
    assert pexels["id"] == 100003 and pexels["attribution"] == "Photo by Pex Els 3 on Pexels"
    assert unsplash["provider_id"] == "us0003Xy" and isinstance(unsplash["id"], int)
    assert unsplash["attribution"] == "Photo by Una Splash 3 on Unsplash"
    assert "utm_medium=referral" in unsplash["attribution_html"]
    assert unsplash["download_location"].startswith(fake.base_url)
    assert set(pexels["src"]) >= {"original", "medium", "small"}
    auths = {(provider, auth) for provider, _, _, auth in fake.requests[-2:]}
    assert auths == {("unsplash", f"Client-ID {UNSPLASH_KEY}"), ("pexels", PEXELS_KEY)}
    only = call(stock_stack, "GET", SEARCH, shop.headers,
                params={"q": "linen", "provider": "unsplash", "per_page": "4"}).json()
    assert {p["provider"] for p in only["photos"]} == {"unsplash"} and len(only["photos"]) == 4


def test_a_failing_provider_is_left_out_and_a_refused_key_named(
    stock_stack: Stack, fake: FakeStockPhotos,
) -> None:
    shop = new_tenant(stock_stack, "Stock Failing")
    add_key(stock_stack, shop, "unsplash", UNSPLASH_KEY)
    wrong = add_key(stock_stack, shop, "pexels", "a-wrong-pexels-key")
    partial = call(stock_stack, "GET", SEARCH, shop.headers, params={"q": "linen"}).json()
    assert {p["provider"] for p in partial["photos"]} == {"unsplash"}
    assert "pexels" in partial["failed"]
    refused = call(stock_stack, "GET", SEARCH, shop.headers,
                   params={"q": "linen", "provider": "pexels"})
    assert refused.status_code == 422 and "pexels key was refused" in refused.json()["detail"]
    call(stock_stack, "PATCH", f"{KEYS}/{wrong['id']}", shop.headers, {"is_active": False})
    fake.failing.add("unsplash")
    try:
        down = call(stock_stack, "GET", SEARCH, shop.headers, params={"q": "linen"})
    finally:
        fake.failing.discard("unsplash")
    assert down.status_code == 503 and down.headers.get("retry-after")

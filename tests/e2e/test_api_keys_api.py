"""API keys over real HTTP: made once, shown once, stored only as a hash, revocable."""

import time
from uuid import uuid4

import httpx
import psycopg
import pytest

from adapters.passwords import token_hash
from tests.e2e.helpers import Tenant, add_user, new_tenant
from tests.support import Stack

KEY_FIELDS = {"id", "name", "is_active", "last_used_at", "created_at", "scope", "scopes"}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Keys Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


def new_key(stack: Stack, tenant: Tenant, name: str = "shop sync") -> dict[str, str]:
    response = call(stack, "POST", "/api-keys", tenant.headers, {"name": name})
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers["cache-control"]
    return dict(response.json())


def test_a_new_key_is_shown_once_and_authenticates_both_ways(
    stack: Stack, tenant: Tenant,
) -> None:
    created = new_key(stack, tenant)
    assert set(created) == {"id", "name", "key", "created_at", "scope", "scopes"}
    raw = created["key"]
    assert raw.startswith("sk_") and len(raw) > 30
    for header in (f"Bearer {raw}", f"ApiKey {raw}"):
        org = call(stack, "GET", "/organization", {"Authorization": header})
        assert org.status_code == 200, (header, org.text)
        assert org.json()["id"] == str(tenant.org_id)
    listed = call(stack, "GET", "/api-keys", tenant.headers)
    assert listed.status_code == 200
    assert raw not in listed.text
    shown = next(k for k in listed.json() if k["id"] == created["id"])
    assert set(shown) == KEY_FIELDS
    assert shown["is_active"] is True and shown["name"] == "shop sync"
    assert shown["last_used_at"] is not None  # it was just used


def test_keys_are_listed_newest_first(stack: Stack, tenant: Tenant) -> None:
    older = new_key(stack, tenant, "older")
    time.sleep(0.01)
    newer = new_key(stack, tenant, "newer")
    ids = [k["id"] for k in call(stack, "GET", "/api-keys", tenant.headers).json()]
    assert ids.index(newer["id"]) < ids.index(older["id"])


def test_a_deactivated_key_stops_working_but_stays_listed(stack: Stack, tenant: Tenant) -> None:
    created = new_key(stack, tenant)
    auth = {"Authorization": f"Bearer {created['key']}"}
    assert call(stack, "GET", "/organization", auth).status_code == 200
    response = call(stack, "PATCH", f"/api-keys/{created['id']}/deactivate", tenant.headers)
    assert response.status_code == 200, response.text
    assert set(response.json()) == KEY_FIELDS and response.json()["is_active"] is False
    assert call(stack, "GET", "/organization", auth).status_code == 401
    listed = {k["id"]: k for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert listed[created["id"]]["is_active"] is False


def test_a_deleted_key_stops_working_and_disappears(stack: Stack, tenant: Tenant) -> None:
    created = new_key(stack, tenant)
    auth = {"Authorization": f"ApiKey {created['key']}"}
    assert call(stack, "DELETE", f"/api-keys/{created['id']}", tenant.headers).status_code == 204
    assert call(stack, "GET", "/organization", auth).status_code == 401
    ids = {k["id"] for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert created["id"] not in ids
    assert call(stack, "DELETE", f"/api-keys/{created['id']}", tenant.headers).status_code == 404
    again = call(stack, "PATCH", f"/api-keys/{created['id']}/deactivate", tenant.headers)
    assert again.status_code == 404


def test_a_wrong_key_with_a_right_prefix_is_refused(stack: Stack, tenant: Tenant) -> None:
    raw = new_key(stack, tenant)["key"]
    forged = raw[:12] + "x" * (len(raw) - 12)
    assert call(stack, "GET", "/organization", {"Authorization": f"Bearer {forged}"}) \
        .status_code == 401


def test_keys_are_managed_only_by_a_signed_in_admin(stack: Stack, tenant: Tenant) -> None:
    created = new_key(stack, tenant)
    by_key = {"Authorization": f"Bearer {created['key']}"}
    assert call(stack, "GET", "/api-keys", by_key).status_code == 403
    assert call(stack, "POST", "/api-keys", by_key, {"name": "child"}).status_code == 403
    assert call(stack, "DELETE", f"/api-keys/{created['id']}", by_key).status_code == 403
    member = add_user(stack, tenant, "member")
    assert call(stack, "GET", "/api-keys", member).status_code == 403
    assert call(stack, "PATCH", f"/api-keys/{created['id']}/deactivate", member).status_code == 403


def test_a_key_needs_a_sensible_name(stack: Stack, tenant: Tenant) -> None:
    assert call(stack, "POST", "/api-keys", tenant.headers, {"name": "  "}).status_code == 422
    assert call(stack, "POST", "/api-keys", tenant.headers, {"name": "x" * 101}).status_code == 422
    assert call(stack, "POST", "/api-keys", tenant.headers, {}).status_code == 400
    assert call(stack, "PATCH", f"/api-keys/{uuid4()}/deactivate", tenant.headers) \
        .status_code == 404


def test_the_raw_key_and_its_hash_never_enter_the_event_log(stack: Stack, tenant: Tenant) -> None:
    raw = new_key(stack, tenant, "secret keeper")["key"]
    with psycopg.connect(stack.settings.database_url) as conn:
        states = [bytes(row[0]) for row in conn.execute("SELECT state FROM events")]
    assert states
    for state in states:
        assert raw.encode() not in state
        assert raw[3:].encode() not in state
        assert token_hash(raw).encode() not in state


def test_a_repeated_idempotency_key_never_replays_or_keeps_a_raw_key(
    stack: Stack, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": uuid4().hex}
    first = call(stack, "POST", "/api-keys", headers, {"name": "once"})
    assert first.status_code == 200
    again = call(stack, "POST", "/api-keys", headers, {"name": "once"})
    assert again.status_code == 409
    assert first.json()["key"] not in again.text
    with psycopg.connect(stack.settings.database_url) as conn:
        kept = conn.execute("SELECT body FROM idempotency_keys WHERE key = %s",
                            (headers["Idempotency-Key"],)).fetchone()
    assert kept is not None and kept[0] is None
    listed = call(stack, "GET", "/api-keys", tenant.headers).json()
    assert sum(1 for k in listed if k["name"] == "once") == 1


def _key_of(stack: Stack, admin: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The admin's own user id and a key they made, as an `Authorization` header."""
    user_id = call(stack, "GET", "/users/me", admin).json()["id"]
    created = call(stack, "POST", "/api-keys", admin, {"name": "made by a second admin"})
    assert created.status_code == 200, created.text
    return user_id, {"Authorization": f"ApiKey {created.json()['key']}"}


def test_a_key_stops_working_when_its_creator_is_deactivated(
    stack: Stack, tenant: Tenant,
) -> None:
    user_id, by_key = _key_of(stack, add_user(stack, tenant, "admin"))
    assert call(stack, "GET", f"/users/{user_id}", by_key).status_code == 200
    assert call(stack, "DELETE", f"/users/{user_id}", tenant.headers).status_code == 204
    refused = call(stack, "GET", "/organization", by_key)
    assert refused.status_code == 401, refused.text
    assert refused.json()["status"] == 401
    assert call(stack, "PATCH", f"/users/{user_id}", tenant.headers,
                {"is_active": True}).status_code == 200
    assert call(stack, "GET", "/organization", by_key).status_code == 401  # revoked for good
    listed = call(stack, "GET", "/api-keys", tenant.headers).json()
    assert not any(k["is_active"] for k in listed if k["name"] == "made by a second admin")


def test_a_key_of_an_admin_demoted_to_member_acts_as_a_member(
    stack: Stack, tenant: Tenant,
) -> None:
    user_id, by_key = _key_of(stack, add_user(stack, tenant, "admin"))
    assert call(stack, "GET", f"/users/{user_id}", by_key).status_code == 200
    demoted = call(stack, "PATCH", f"/users/{user_id}", tenant.headers, {"role": "member"})
    assert demoted.status_code == 200, demoted.text
    assert call(stack, "GET", f"/users/{user_id}", by_key).status_code == 403
    assert call(stack, "POST", "/users", by_key, {
        "email": f"{uuid4().hex[:8]}@example.test", "password": "a long enough password 1",
    }).status_code == 403
    assert call(stack, "GET", "/organization", by_key).status_code == 200  # still a member
    assert call(stack, "PATCH", f"/users/{user_id}", tenant.headers,
                {"role": "admin"}).status_code == 200
    assert call(stack, "GET", f"/users/{user_id}", by_key).status_code == 200


def test_a_key_limited_to_the_index_opens_only_the_page_index(
    stack: Stack, tenant: Tenant,
) -> None:
    response = call(stack, "POST", "/api-keys", tenant.headers,
                    {"name": "page pusher", "scope": "index"})
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "index"
    limited = {"Authorization": f"Bearer {response.json()['key']}"}
    ordinary_id = new_key(stack, tenant, "ordinary")["id"]
    listed = {k["id"]: k for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert listed[response.json()["id"]]["scope"] == "index"
    assert listed[ordinary_id]["scope"] == "all"

    def at(method: str, path: str, body: object = None) -> httpx.Response:
        return httpx.request(method, f"{stack.base_url}{path}", headers=limited, json=body,
                             timeout=30)

    page = {"url": "https://shop.test/limited", "content": "A page pushed by a limited key."}
    upserted = at("POST", "/v1/pages/upsert", page)
    assert upserted.status_code == 202, upserted.text
    page_id = upserted.json()["page_id"]
    assert at("GET", f"/v1/pages/{page_id}").status_code == 200
    assert at("POST", "/v1/retrieve", {"query": "limited key"}).status_code in {200, 503}
    assert at("DELETE", "/v1/pages/delete", {"pageId": page_id}).status_code == 200
    for method, path in [("GET", "/api/v1/projects"), ("GET", "/api/ai-pages/query?q=x"),
                         ("GET", "/api/v1/organization"), ("GET", "/api/v1/api-keys"),
                         ("GET", "/api/ai-pages/segments/")]:
        refused = at(method, path)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["status"] == 403
    assert "index" in at("GET", "/api/v1/projects").json()["detail"]
    ordinary = {"Authorization": f"Bearer {new_key(stack, tenant, 'full')['key']}"}
    assert httpx.get(f"{stack.base_url}/api/v1/projects", headers=ordinary,
                     timeout=30).status_code == 200
    bad = call(stack, "POST", "/api-keys", tenant.headers, {"name": "x", "scope": "everything"})
    assert bad.status_code == 400 and "scope" in bad.json()["detail"]


def test_a_key_with_scopes_opens_each_area_it_names_to_read_or_to_write(
    stack: Stack, tenant: Tenant,
) -> None:
    def key(scopes: list[str]) -> dict[str, str]:
        made = call(stack, "POST", "/api-keys", tenant.headers, {"name": "scoped", "scopes": scopes})
        assert made.status_code == 200, made.text
        assert made.json()["scopes"] == scopes
        return {"Authorization": f"Bearer {made.json()['key']}"}

    def at(headers: dict[str, str], method: str, path: str, body: object = None) -> httpx.Response:
        return httpx.request(method, f"{stack.base_url}{path}", headers=headers, json=body,
                             timeout=30)

    page = {"name": f"Scoped {uuid4().hex[:8]}", "html_content": "<p>Hi</p>"}
    reader, writer = key(["pages:read"]), key(["catalog:read", "pages:write"])
    refused = at(reader, "POST", "/api/pages", page)
    assert refused.status_code == 403 and "pages:write" in refused.json()["detail"]
    other_area = at(reader, "GET", "/api/v1/projects")
    assert other_area.status_code == 403 and "catalog:read" in other_area.json()["detail"]
    created = at(writer, "POST", "/api/pages", page)
    assert created.status_code == 201, created.text
    page_path = f"/api/pages/{created.json()['page']['id']}"
    assert at(reader, "GET", page_path).status_code == 200
    assert at(writer, "GET", page_path).status_code == 200
    assert at(reader, "DELETE", page_path).status_code == 403
    assert at(writer, "GET", "/api/v1/projects").status_code == 200
    assert at(writer, "POST", "/api/v1/projects", {"name": "No", "platform": "shopify"}
              ).status_code == 403
    assert at(writer, "GET", "/api/ai-pages/pages/").status_code == 200  # AI pages: pages too
    listed = {k["scope"] for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert "catalog:read pages:write" in listed
    for scopes, named in [(["pages:admin"], "pages:admin"), (["all", "pages:read"], "all"),
                          ([], "(none)")]:
        bad = call(stack, "POST", "/api-keys", tenant.headers, {"name": "x", "scopes": scopes})
        assert bad.status_code == 422 and named in bad.json()["detail"], (scopes, bad.text)

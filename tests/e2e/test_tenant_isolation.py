"""One organization never sees nor touches another's users or API keys: always 404 (or 403
for a role it lacks), never data."""

import httpx
import jwt
import pytest

from tests.e2e.helpers import PASSWORD, Tenant, new_tenant, unique_email
from tests.support import Stack


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


@pytest.fixture(scope="module")
def victim(stack: Stack) -> tuple[Tenant, str, str, str]:
    """Organization A, one of its members and one of its API keys (id and raw key)."""
    tenant = new_tenant(stack, "Victim Shop")
    member = call(stack, "POST", "/users", tenant.headers,
                  {"email": unique_email("victim"), "password": PASSWORD})
    key = call(stack, "POST", "/api-keys", tenant.headers, {"name": "victim key"})
    assert member.status_code == key.status_code == 201
    return tenant, member.json()["id"], key.json()["id"], key.json()["key"]


@pytest.fixture(scope="module")
def intruders(stack: Stack) -> dict[str, dict[str, str]]:
    """Organization B's admin (JWT) and B's API key."""
    tenant = new_tenant(stack, "Intruder Shop")
    key = call(stack, "POST", "/api-keys", tenant.headers, {"name": "intruder key"})
    assert key.status_code == 201
    return {"admin": tenant.headers,
            "api key": {"Authorization": f"Bearer {key.json()['key']}"}}


def routes_with_ids(user_id: str, key_id: str) -> list[tuple[str, str, object]]:
    return [
        ("GET", f"/users/{user_id}", None),
        ("PATCH", f"/users/{user_id}", {"first_name": "Mallory", "role": "admin"}),
        ("PATCH", f"/users/{user_id}", {"password": "taken over by mallory"}),
        ("POST", f"/users/{user_id}/deactivate", None),
        ("DELETE", f"/users/{user_id}", None),
        ("PATCH", f"/api-keys/{key_id}/deactivate", None),
        ("DELETE", f"/api-keys/{key_id}", None),
    ]


def test_another_organizations_ids_answer_404_never_data(
    stack: Stack, victim: tuple[Tenant, str, str, str],
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, _ = victim
    for who, headers in intruders.items():
        for method, path, body in routes_with_ids(user_id, key_id):
            response = call(stack, method, path, headers, body)
            allowed = (403, 404) if path.startswith("/api-keys") and who == "api key" else (404,)
            assert response.status_code in allowed, (who, method, path, response.text)
            assert user_id not in response.text and key_id not in response.text
            assert tenant.email not in response.text


def test_the_victims_user_and_key_are_untouched(
    stack: Stack, victim: tuple[Tenant, str, str, str],
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, raw_key = victim
    for headers in intruders.values():  # the attempts, in case this test runs alone
        for method, path, body in routes_with_ids(user_id, key_id):
            call(stack, method, path, headers, body)
    user = call(stack, "GET", f"/users/{user_id}", tenant.headers).json()
    assert user["is_active"] is True and user["first_name"] is None and user["role"] == "member"
    keys = {k["id"]: k for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert keys[key_id]["is_active"] is True
    own = call(stack, "GET", "/organization", {"Authorization": f"ApiKey {raw_key}"})
    assert own.status_code == 200 and own.json()["id"] == str(tenant.org_id)
    login = httpx.post(f"{stack.base_url}/api/v1/auth/login",
                       json={"email": user["email"], "password": "taken over by mallory"},
                       timeout=30)
    assert login.status_code == 401


def test_lists_and_the_organization_show_only_ones_own(
    stack: Stack, victim: tuple[Tenant, str, str, str],
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, _ = victim
    admin = intruders["admin"]
    users = call(stack, "GET", "/users", admin)
    assert users.status_code == 200
    assert user_id not in users.text and tenant.email not in users.text
    keys = call(stack, "GET", "/api-keys", admin)
    assert keys.status_code == 200 and key_id not in keys.text
    for headers in intruders.values():
        org = call(stack, "GET", "/organization", headers)
        assert org.status_code == 200 and org.json()["id"] != str(tenant.org_id)
    by_key = call(stack, "GET", "/users", intruders["api key"])
    assert by_key.status_code == 200 and user_id not in by_key.text


def test_a_token_of_one_organization_cannot_be_pointed_at_another(
    stack: Stack, victim: tuple[Tenant, str, str, str],
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, _, _, _ = victim
    token = intruders["admin"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["org"] = str(tenant.org_id)
    forged = jwt.encode(claims, stack.settings.secret_key, algorithm="HS256")
    response = call(stack, "GET", "/users", {"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401

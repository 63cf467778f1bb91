"""One organization never sees nor touches another's users, API keys, invitations or their
two-factor authentication: always 404 (or 403 for a role or a kind of credential it lacks), never data.
The matrix covers every identity route, for another organization's admin and API key."""

import re

import httpx
import jwt
import pytest

from api.identity import (
    api_keys,
    auth,
    invitations,
    organization,
    two_factor,
    two_factor_admin,
    two_factor_login,
    users,
)
from tests.e2e.helpers import PASSWORD, Tenant, login, new_tenant, unique_email
from tests.e2e.two_factor_steps import enable_totp
from tests.support import Stack

IDENTITY_AREAS = [auth, two_factor, two_factor_login, users, two_factor_admin, organization,
                  api_keys, invitations]
ROUTES_WITH_IDS = [
    ("GET", "/users/{user_id}", None),
    ("PATCH", "/users/{user_id}", {"first_name": "Mallory", "role": "admin"}),
    ("PATCH", "/users/{user_id}", {"password": "taken over by mallory"}),
    ("POST", "/users/{user_id}/deactivate", None),
    ("DELETE", "/users/{user_id}", None),
    ("POST", "/users/{user_id}/2fa/disable", None),
    ("POST", "/users/{user_id}/2fa/reset", None),
    ("PATCH", "/api-keys/{key_id}/deactivate", None),
    ("DELETE", "/api-keys/{key_id}", None),
    ("POST", "/invitations/{invitation_id}/resend", None),
    ("POST", "/invitations/{invitation_id}/revoke", None),
]
OWN_ROUTES = [  # they act on the caller itself or its own organization
    ("GET", "/users", None),
    ("POST", "/users", {"email": "intruder-made@example.test", "password": PASSWORD}),
    ("GET", "/users/me", None),
    ("PATCH", "/users/me", {"first_name": "Mallory"}),
    ("GET", "/organization", None),
    ("PATCH", "/organization", {"address": "Elsewhere 1"}),
    ("GET", "/api-keys", None),
    ("POST", "/api-keys", {"name": "intruder key 2"}),
    ("POST", "/auth/2fa/setup", {"method": "totp"}),
    ("POST", "/auth/2fa/confirm", {"code": "123456"}),
    ("POST", "/auth/2fa/disable", {"code": "123456"}),
    ("POST", "/auth/2fa/send-disable-code", None),
    ("POST", "/auth/2fa/resend-email-code", {}),
    ("GET", "/invitations", None),
    ("POST", "/invitations", {"email": "intruder-invited@example.test", "role": "member"}),
]
CREDENTIAL_ROUTES = {  # no caller: they take a password, a refresh or a temp token instead
    ("POST", "/auth/login"), ("POST", "/auth/refresh"), ("POST", "/auth/logout"),
    ("POST", "/auth/verify-2fa"), ("POST", "/auth/2fa/setup-with-temp"),
    ("POST", "/auth/2fa/confirm-with-temp"), ("GET", "/invitations/validate"),
    ("POST", "/invitations/accept"),
}


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


@pytest.fixture(scope="module")
def victim(stack: Stack) -> tuple[Tenant, str, str, str]:
    """Organization A, one of its members (with TOTP on) and one of its API keys (id and raw
    key)."""
    tenant = new_tenant(stack, "Victim Shop")
    email = unique_email("victim")
    member = call(stack, "POST", "/users", tenant.headers, {"email": email, "password": PASSWORD})
    key = call(stack, "POST", "/api-keys", tenant.headers, {"name": "victim key"})
    assert member.status_code == key.status_code == 200
    enable_totp(stack, login(stack.base_url, email))
    return tenant, member.json()["id"], key.json()["id"], key.json()["key"]


@pytest.fixture(scope="module")
def victim_invitation(stack: Stack, victim: tuple[Tenant, str, str, str]) -> str:
    """A pending invitation of organization A."""
    invited = call(stack, "POST", "/invitations", victim[0].headers,
                   {"email": unique_email("victim-invitee"), "role": "member"})
    assert invited.status_code == 200, invited.text
    return str(invited.json()["id"])


@pytest.fixture(scope="module")
def intruders(stack: Stack) -> dict[str, dict[str, str]]:
    """Organization B's admin (JWT) and B's API key."""
    tenant = new_tenant(stack, "Intruder Shop")
    key = call(stack, "POST", "/api-keys", tenant.headers, {"name": "intruder key"})
    assert key.status_code == 200
    return {"admin": tenant.headers,
            "api key": {"Authorization": f"Bearer {key.json()['key']}"}}


def routes_with_ids(user_id: str, key_id: str,
                    invitation_id: str) -> list[tuple[str, str, object]]:
    return [(method, path.format(user_id=user_id, key_id=key_id, invitation_id=invitation_id), body)
            for method, path, body in ROUTES_WITH_IDS]


def test_the_matrix_names_every_identity_route() -> None:
    served = {(method, re.sub(r":\w+}", "}", path).removeprefix("/api/v1"))
              for area in IDENTITY_AREAS for handler in area.ROUTES
              for path in handler.paths for method in handler.http_methods}
    named = ({(m, p) for m, p, _ in ROUTES_WITH_IDS} | {(m, p) for m, p, _ in OWN_ROUTES}
             | CREDENTIAL_ROUTES)
    assert served == named


def test_another_organizations_ids_answer_404_never_data(
    stack: Stack, victim: tuple[Tenant, str, str, str], victim_invitation: str,
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, _ = victim
    for who, headers in intruders.items():
        for method, path, body in routes_with_ids(user_id, key_id, victim_invitation):
            response = call(stack, method, path, headers, body)
            admin_only = path.startswith(("/api-keys", "/invitations")) or "/2fa/" in path
            allowed = (403, 404) if admin_only and who == "api key" else (404,)
            assert response.status_code in allowed, (who, method, path, response.text)
            assert user_id not in response.text and key_id not in response.text
            assert victim_invitation not in response.text
            assert tenant.email not in response.text


def test_routes_on_ones_own_organization_show_nothing_of_another(
    stack: Stack, victim: tuple[Tenant, str, str, str],
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, _ = victim
    for who, headers in intruders.items():
        for method, path, body in OWN_ROUTES:
            if body is not None and "email" in body:
                body = {**body, "email": unique_email("intruder-made")}
            response = call(stack, method, path, headers, body)
            assert response.status_code < 500, (who, method, path, response.text)
            for secret in (user_id, key_id, tenant.email, str(tenant.org_id)):
                assert secret not in response.text, (who, method, path)


def test_the_victims_user_key_and_invitation_are_untouched(
    stack: Stack, victim: tuple[Tenant, str, str, str], victim_invitation: str,
    intruders: dict[str, dict[str, str]],
) -> None:
    tenant, user_id, key_id, raw_key = victim
    for headers in intruders.values():  # the attempts, in case this test runs alone
        for method, path, body in routes_with_ids(user_id, key_id, victim_invitation):
            call(stack, method, path, headers, body)
    user = call(stack, "GET", f"/users/{user_id}", tenant.headers).json()
    assert user["is_active"] is True and user["first_name"] is None and user["role"] == "member"
    assert (user["two_factor_enabled"], user["two_factor_method"]) == (True, "totp")
    keys = {k["id"]: k for k in call(stack, "GET", "/api-keys", tenant.headers).json()}
    assert keys[key_id]["is_active"] is True
    invitations = {i["id"]: i for i in call(stack, "GET", "/invitations", tenant.headers).json()}
    assert invitations[victim_invitation]["status"] == "pending"
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
    invited = call(stack, "GET", "/invitations", admin)
    assert invited.status_code == 200 and tenant.email not in invited.text
    assert "victim-invitee" not in invited.text
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

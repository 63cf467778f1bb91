"""Admin routes are guarded before their handler runs: no caller is 401 (never 403), a member
403 with the rule's message, and where only a signed-in admin may act, an API key 403 too."""

import httpx
import pytest

from tests.e2e.helpers import PASSWORD, Tenant, add_user, new_tenant
from tests.support import Stack

ADMIN_ROLE = "this operation requires the admin role"
SIGNED_IN = "this operation requires a signed-in user, not an API key"
ADMIN_ROUTES = [
    ("GET", "/users", None),
    ("POST", "/users", {"email": "guarded@example.test", "password": PASSWORD}),
    ("POST", "/billing/topup", {"amount": "10", "description": "guarded"}),
    ("GET", "/audit?page=1", None),
    ("PATCH", "/organization", {"name": "Guarded"}),
    ("GET", "/organization/api-keys", None),
    ("POST", "/organization/tones", {"id": "guarded", "name": "G", "description": "g",
                                     "system_prompt": "g"}),
    ("GET", "/invitations", None),
]
SIGNED_IN_ADMIN_ROUTES = [
    ("GET", "/api-keys", None),
    ("POST", "/api-keys", {"name": "another"}),
    ("POST", "/users/00000000-0000-0000-0000-000000000001/2fa/reset", None),
]


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Guarded Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


def test_without_a_caller_every_admin_route_is_401(stack: Stack) -> None:
    for method, path, body in ADMIN_ROUTES + SIGNED_IN_ADMIN_ROUTES:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = call(stack, method, path, headers, body)
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["status"] == 401


def test_a_member_is_403_on_every_admin_route(stack: Stack, tenant: Tenant) -> None:
    member = add_user(stack, tenant, "member")
    for method, path, body in ADMIN_ROUTES + SIGNED_IN_ADMIN_ROUTES:
        response = call(stack, method, path, member, body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json() == {"detail": ADMIN_ROLE, "status": 403}


def test_an_api_key_is_an_admin_but_not_a_signed_in_one(stack: Stack, tenant: Tenant) -> None:
    created = call(stack, "POST", "/api-keys", tenant.headers, {"name": "guard key"})
    assert created.status_code == 200, created.text
    key = {"Authorization": f"Bearer {created.json()['key']}"}
    for method, path, body in SIGNED_IN_ADMIN_ROUTES:
        response = call(stack, method, path, key, body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json() == {"detail": SIGNED_IN, "status": 403}
    assert call(stack, "GET", "/users", key).status_code == 200
    assert call(stack, "GET", "/invitations", key).status_code == 200

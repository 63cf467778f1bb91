"""Bad input to any command route gets a clear 4xx in the error shape, never a 500."""

import httpx
import pytest

from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

# each route with a body whose fields have the wrong types or impossible values
ROUTES = [
    ("POST", "/api/v1/users", b'{"email": 7, "password": []}'),
    ("PATCH", "/api/v1/users/me", b'{"first_name": {"a": 1}}'),
    ("PATCH", "/api/v1/organization", b'{"name": 5, "enforce_2fa": "maybe"}'),
    ("POST", "/api/v1/api-keys", b'{"name": []}'),
    ("POST", "/api/v1/billing/topup", b'{"amount": "lots"}'),
    ("PATCH", "/api/v1/billing/subscription", b'{"tier": {}}'),
    ("PATCH", "/api/v1/billing/settings", b'{"overage_enabled": "maybe"}'),
    ("POST", "/api/v1/billing/adjustment", b'{"amount": 1e400, "balance_type": "topup"}'),
    ("POST", "/api/v1/auth/refresh", b'{"refresh_token": 12}'),
    ("POST", "/api/v1/auth/2fa/setup", b'{"method": 5}'),
    ("POST", "/api/v1/auth/2fa/setup", b'{"method": "carrier pigeon"}'),
    ("POST", "/api/v1/auth/2fa/confirm", b'{"code": []}'),
    ("POST", "/api/v1/auth/2fa/disable", b'{"code": {"a": 1}}'),
    ("POST", "/api/v1/auth/verify-2fa", b'{"temp_token": 1, "code": 2}'),
    ("POST", "/api/v1/auth/verify-2fa", b'{"temp_token": "not a token", "code": "123456"}'),
    ("POST", "/api/v1/auth/2fa/setup-with-temp", b'{"temp_token": [], "method": "totp"}'),
    ("POST", "/api/v1/auth/2fa/confirm-with-temp", b'{"temp_token": "x", "code": null}'),
    ("POST", "/api/v1/auth/2fa/resend-email-code", b'{"temp_token": 5}'),
    ("POST", "/api/v1/auth/2fa/resend-email-code", b'{"temp_token": "forged"}'),
    ("POST", "/api/v1/invitations", b'{"email": 5, "role": []}'),
    ("POST", "/api/v1/invitations/accept", b'{"token": 1, "password": {}}'),
]
MALFORMED = [b"{", b"[]", b"null"]


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Careless")


@pytest.mark.parametrize(("method", "path", "wrong"), ROUTES)
def test_malformed_bodies_are_refused_with_a_4xx_that_says_why(
    stack: Stack, tenant: Tenant, method: str, path: str, wrong: bytes
) -> None:
    for body in [*MALFORMED, wrong]:
        response = httpx.request(method, stack.base_url + path, content=body, timeout=30,
                                 headers={**tenant.headers, "Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
        assert response.json()["detail"], response.text
        assert response.json()["status"] == response.status_code


@pytest.mark.parametrize("path", ["/api/v1/billing/transactions?page=0",
                                  "/api/v1/billing/transactions?page_size=1000",
                                  "/api/v1/billing/usage-summary?days=abc",
                                  "/api/v1/billing/balance?as_of=yesterday",
                                  "/api/v1/users/not-a-uuid", "/api/v1/audit?page=-1",
                                  "/api/v1/invitations/validate"])
def test_malformed_query_parameters_are_refused_with_a_4xx(
    stack: Stack, tenant: Tenant, path: str
) -> None:
    response = httpx.get(stack.base_url + path, headers=tenant.headers, timeout=30)
    assert 400 <= response.status_code < 500, (path, response.text)

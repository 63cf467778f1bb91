"""Signing in, tokens, cookies, refresh rotation and throttling, over real HTTP."""

import time
from uuid import UUID, uuid4

import httpx
import jwt
import psycopg
import pytest

from adapters.passwords import token_hash
from api.tokens import AUDIENCE, issue_access_token
from tests.e2e.helpers import PASSWORD, Tenant, new_tenant
from tests.support import Stack

TOKEN_FIELDS = {"access_token", "token_type", "two_factor_required", "two_factor_setup_required",
                "two_factor_method", "temp_token", "refresh_token", "expires_in"}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Auth Shop")


def sign_in(stack: Stack, email: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{stack.base_url}/api/v1/auth/login",
                      json={"email": email, "password": password}, timeout=30)


def me(stack: Stack, headers: dict[str, str] | None = None,
       cookies: dict[str, str] | None = None) -> httpx.Response:
    return httpx.get(f"{stack.base_url}/api/v1/users/me", headers=headers, cookies=cookies,
                     timeout=30)


def test_login_answers_the_seed_shape_and_the_token_opens_users_me(
    stack: Stack, tenant: Tenant,
) -> None:
    response = sign_in(stack, tenant.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == TOKEN_FIELDS
    assert body["token_type"] == "bearer"
    assert body["two_factor_required"] is False and body["two_factor_setup_required"] is False
    assert body["two_factor_method"] is None and body["temp_token"] is None
    assert body["expires_in"] > 0
    assert response.headers["cache-control"] == "no-store"
    profile = me(stack, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert profile.status_code == 200, profile.text
    assert profile.json()["email"] == tenant.email
    assert profile.json()["organization"]["id"] == str(tenant.org_id)


def test_login_sets_an_http_only_lax_cookie_that_authenticates(
    stack: Stack, tenant: Tenant,
) -> None:
    response = sign_in(stack, tenant.email)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("access_token=")
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "path=/" in lowered
    assert "secure" not in lowered  # plain http here
    token = response.cookies["access_token"]
    assert token == response.json()["access_token"]
    assert me(stack, cookies={"access_token": token}).status_code == 200


def test_a_wrong_password_and_an_unknown_email_answer_the_same_401(
    stack: Stack, tenant: Tenant,
) -> None:
    wrong = sign_in(stack, tenant.email, "not the password")
    unknown = sign_in(stack, "nobody-at-all@example.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["status"] == 401


def add_failures(stack: Stack, email: str, count: int) -> None:
    with psycopg.connect(stack.settings.database_url, autocommit=True) as conn, \
            conn.cursor() as cur:
        cur.executemany("INSERT INTO login_failures (account_key) VALUES (%s)",
                        [(token_hash(email.lower()),)] * count)


def test_the_101st_failure_within_an_hour_is_refused_with_retry_after(stack: Stack) -> None:
    tenant = new_tenant(stack, "Throttled Shop")
    add_failures(stack, tenant.email, 100)
    refused = sign_in(stack, tenant.email, "guess number 101")
    assert refused.status_code == 429, refused.text
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.json()["status"] == 429
    # refused before the password is checked: the right one does not get through either
    assert sign_in(stack, tenant.email).status_code == 429


def test_the_hundredth_real_failure_closes_the_door(stack: Stack) -> None:
    tenant = new_tenant(stack, "Almost Throttled Shop")
    add_failures(stack, tenant.email, 99)
    assert sign_in(stack, tenant.email, "guess number 100").status_code == 401
    assert sign_in(stack, tenant.email).status_code == 429


def refresh(stack: Stack, token: str | None) -> httpx.Response:
    body = {} if token is None else {"refresh_token": token}
    return httpx.post(f"{stack.base_url}/api/v1/auth/refresh", json=body, timeout=30)


def test_refresh_rotates_and_a_reused_token_revokes_its_family(
    stack: Stack, tenant: Tenant,
) -> None:
    first = sign_in(stack, tenant.email).json()["refresh_token"]
    rotated = refresh(stack, first)
    assert rotated.status_code == 200, rotated.text
    assert set(rotated.json()) == TOKEN_FIELDS
    second = rotated.json()["refresh_token"]
    assert second != first
    access = rotated.json()["access_token"]
    assert me(stack, headers={"Authorization": f"Bearer {access}"}).status_code == 200
    assert refresh(stack, first).status_code == 401  # replayed: the family is burnt
    assert refresh(stack, second).status_code == 401
    other_session = sign_in(stack, tenant.email).json()["refresh_token"]
    assert refresh(stack, other_session).status_code == 200  # other families live on


def test_refresh_needs_a_token(stack: Stack) -> None:
    assert refresh(stack, None).status_code == 400
    empty = httpx.post(f"{stack.base_url}/api/v1/auth/refresh", timeout=30)
    assert empty.status_code == 400
    assert refresh(stack, "rt_not-a-real-token").status_code == 401


def test_logout_revokes_the_refresh_family_and_clears_the_cookie(
    stack: Stack, tenant: Tenant,
) -> None:
    token = sign_in(stack, tenant.email).json()["refresh_token"]
    response = httpx.post(f"{stack.base_url}/api/v1/auth/logout",
                          json={"refresh_token": token}, timeout=30)
    assert response.status_code in (200, 204)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("access_token=") and ("max-age=0" in cookie or "expires=" in cookie)
    assert refresh(stack, token).status_code == 401
    assert httpx.post(f"{stack.base_url}/api/v1/auth/logout", timeout=30).status_code in (200, 204)


def claims_of(stack: Stack, tenant: Tenant) -> dict[str, object]:
    token = sign_in(stack, tenant.email).json()["access_token"]
    return dict(jwt.decode(token, options={"verify_signature": False}))


def forged(stack: Stack, tenant: Tenant, **changes: object) -> str:
    claims = {**claims_of(stack, tenant), **changes}
    return jwt.encode(claims, stack.settings.secret_key, algorithm="HS256")


def test_forged_or_stale_tokens_are_refused(stack: Stack, tenant: Tenant) -> None:
    claims = claims_of(stack, tenant)
    unsigned = jwt.encode(claims, "", algorithm="none")
    wrong_key = jwt.encode(claims, "another-secret-" + "y" * 40, algorithm="HS256")
    tokens = {
        "alg none": unsigned,
        "wrong key": wrong_key,
        "wrong audience": forged(stack, tenant, aud="someone-else"),
        "refresh type": forged(stack, tenant, typ="refresh"),
        "temp type": forged(stack, tenant, typ="2fa_temp"),
        "expired": forged(stack, tenant, iat=int(time.time()) - 7200,
                          exp=int(time.time()) - 3600),
        "other org": forged(stack, tenant, org="00000000-0000-0000-0000-000000000000"),
        "garbage": "not.a.jwt",
    }
    for name, token in tokens.items():
        for kwargs in ({"headers": {"Authorization": f"Bearer {token}"}},
                       {"cookies": {"access_token": token}}):
            response = me(stack, **kwargs)
            assert response.status_code == 401, (name, kwargs, response.text)
    valid = issue_access_token(stack.settings.secret_key, user_id=UUID(str(claims["sub"])),
                               org_id=UUID(str(claims["org"])), role="admin", minutes=5)
    assert claims["aud"] == AUDIENCE
    assert me(stack, headers={"Authorization": f"Bearer {valid}"}).status_code == 200


def test_no_credentials_is_401(stack: Stack) -> None:
    response = me(stack)
    assert response.status_code == 401
    assert set(response.json()) >= {"detail", "status"}


def test_unversioned_paths_answer_like_v1(stack: Stack, tenant: Tenant) -> None:
    v1 = me(stack, headers=tenant.headers)
    plain = httpx.get(f"{stack.base_url}/api/users/me", headers=tenant.headers, timeout=30)
    assert plain.status_code == v1.status_code == 200
    assert plain.json() == v1.json()
    login = httpx.post(f"{stack.base_url}/api/auth/login",
                       json={"email": tenant.email, "password": PASSWORD}, timeout=30)
    assert login.status_code == 200


def test_every_response_has_a_request_id(stack: Stack, tenant: Tenant) -> None:
    responses = [
        me(stack, headers=tenant.headers),
        me(stack),
        sign_in(stack, tenant.email, "wrong password"),
        httpx.get(f"{stack.base_url}/api/v1/users/{uuid4()}", headers=tenant.headers),
        httpx.post(f"{stack.base_url}/api/v1/auth/login", content=b"{", timeout=30),
    ]
    for response in responses:
        assert response.headers.get("x-request-id"), response.request.url
    echoed = me(stack, headers={**tenant.headers, "X-Request-ID": "trace-me-123"})
    assert echoed.headers["x-request-id"] == "trace-me-123"


def test_a_path_that_matches_no_route_has_a_request_id_too(stack: Stack) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/users/not-a-uuid", timeout=30)
    assert response.status_code in (400, 404)
    assert response.headers.get("x-request-id")


@pytest.mark.parametrize("body", [b"{", b"not json", b'{"email": 5, "password": "x"}', b"[]",
                                  b'{"email": "a@b.test"}'])
def test_a_bad_login_body_is_400_with_detail_and_status(stack: Stack, body: bytes) -> None:
    response = httpx.post(f"{stack.base_url}/api/v1/auth/login", content=body,
                          headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400, response.text
    assert {"detail", "status"} <= set(response.json())
    assert response.json()["status"] == 400

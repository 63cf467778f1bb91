"""Two-factor security over real HTTP: temp tokens open their own step only, forged or stale
ones nothing; passwords and codes share one failure limit; no secret or code is ever in an
event, the audit log or a process's log."""

import time
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from api.tokens import AUDIENCE
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_auth_api import add_failures
from tests.e2e.test_secrets_stay_out_of_logs import all_logs
from tests.e2e.two_factor_steps import (
    SEEN_SECRETS,
    bearer,
    call,
    enable_totp,
    new_member,
    seen_in,
    sign_in,
    temp_token,
    verify,
)
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Guarded Shop")


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_forged_or_stale_temp_tokens_are_refused_and_the_code_stays_unspent(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    _, codes = enable_totp(stack, member.headers)
    real = temp_token(stack, member.email)
    claims = claims_of(real)
    assert claims["typ"] == "2fa" and claims["aud"] == AUDIENCE
    assert 0 < claims["exp"] - claims["iat"] <= 5 * 60
    key = stack.settings.secret_key
    now = int(time.time())
    forged = {
        "alg none": jwt.encode(claims, "", algorithm="none"),
        "HS512 with the same key": jwt.encode(claims, key, algorithm="HS512"),
        "another key": jwt.encode(claims, "another-secret-" + "z" * 40, algorithm="HS256"),
        "expired": jwt.encode({**claims, "iat": now - 900, "exp": now - 600}, key,
                              algorithm="HS256"),
        "wrong audience": jwt.encode({**claims, "aud": "elsewhere"}, key, algorithm="HS256"),
        "access type": jwt.encode({**claims, "typ": "access"}, key, algorithm="HS256"),
        "setup type": jwt.encode({**claims, "typ": "2fa_setup"}, key, algorithm="HS256"),
        "no type": jwt.encode({k: v for k, v in claims.items() if k != "typ"}, key,
                              algorithm="HS256"),
        "a real access token": member.headers["Authorization"].removeprefix("Bearer "),
        "garbage": "x.y.z",
    }
    for name, token in forged.items():
        response = verify(stack, token, codes[0])
        assert response.status_code == 401, (name, response.text)
    assert verify(stack, real, codes[0]).status_code == 200  # the code was not spent


def test_temp_tokens_open_no_other_route(stack: Stack) -> None:
    tenant = new_tenant(stack, "Temp Token Shop")
    member = new_member(stack, tenant)
    enable_totp(stack, member.headers)
    two_factor = temp_token(stack, member.email)
    call(stack, "PATCH", "/organization", tenant.headers, {"enforce_2fa": True})
    plain = new_member(stack, tenant, signed_in=False)
    setup = temp_token(stack, plain.email, "two_factor_setup_required")
    for token in (two_factor, setup):
        for path in ("/users/me", "/organization", "/users", "/api-keys"):
            assert call(stack, "GET", path, {"Authorization": f"Bearer {token}"}
                        ).status_code == 401
        response = call(stack, "POST", "/auth/2fa/setup", {"Authorization": f"Bearer {token}"},
                        {"method": "totp"})
        assert response.status_code == 401
        as_cookie = httpx.get(f"{stack.base_url}/api/v1/users/me",
                              cookies={"access_token": token}, timeout=30)
        assert as_cookie.status_code == 401
        as_refresh = call(stack, "POST", "/auth/refresh", body={"refresh_token": token})
        assert as_refresh.status_code == 401
    wrong_step = call(stack, "POST", "/auth/2fa/setup-with-temp",
                      body={"temp_token": two_factor, "method": "totp"})
    assert wrong_step.status_code == 401


def test_deactivating_a_user_stops_a_temp_token_at_once(stack: Stack, tenant: Tenant) -> None:
    member = new_member(stack, tenant)
    _, codes = enable_totp(stack, member.headers)
    token = temp_token(stack, member.email)
    assert call(stack, "DELETE", f"/users/{member.user_id}", tenant.headers).status_code == 204
    assert verify(stack, token, codes[0]).status_code == 401


def test_the_101st_failure_mixing_passwords_and_codes_is_refused_with_retry_after(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, codes = enable_totp(stack, member.headers)
    add_failures(stack, member.email, 95)
    assert sign_in(stack, member.email, "a wrong password").status_code == 401  # 96
    token = temp_token(stack, member.email)
    assert verify(stack, token, app.wrong_code()).status_code == 401  # 97
    assert verify(stack, token, "zzzzz-zzzzz").status_code == 401  # 98
    wrong_disable = call(stack, "POST", "/auth/2fa/disable", member.headers,
                         {"code": app.wrong_code()})
    assert wrong_disable.status_code == 400  # 99
    assert verify(stack, token, app.wrong_code()).status_code == 401  # 100
    refused = verify(stack, token, codes[0])
    assert refused.status_code == 429, refused.text
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.json()["status"] == 429
    assert sign_in(stack, member.email).status_code == 429
    disable = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": codes[0]})
    assert disable.status_code == 429


def text_of(stack: Stack, query: str) -> str:
    with psycopg.connect(stack.settings.database_url) as conn:
        return "\n".join(str(row[0]) for row in conn.execute(query).fetchall())


def test_no_totp_secret_code_or_backup_code_is_in_events_or_logs(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, codes = enable_totp(stack, member.headers)
    tokens = verify(stack, temp_token(stack, member.email), app.code()).json()
    assert verify(stack, temp_token(stack, member.email), codes[2]).status_code == 200
    call(stack, "POST", "/auth/2fa/disable", bearer(tokens), {"code": app.code()})
    time.sleep(0.5)  # let the processes write their lines
    events = text_of(stack, "SELECT topic || ' ' || convert_from(state, 'UTF8') FROM events")
    audit = text_of(stack, "SELECT data::text FROM rm_audit.audit_log")
    logs = all_logs(stack)
    assert "TwoFactorEnabled" in events and "TwoFactorDisabled" in events
    assert '"path": "/api/v1/auth/verify-2fa"' in logs
    secrets = set(SEEN_SECRETS) | {c.replace("-", "") for c in SEEN_SECRETS if "-" in c}
    assert app.secret in secrets and codes[0] in secrets
    for secret in secrets:
        for where, text in (("events", events), ("audit", audit), ("logs", logs)):
            assert not seen_in(text, secret), (where, secret)
    stored = text_of(stack, "SELECT encode(ciphertext, 'escape') FROM secrets")
    kept_codes = text_of(stack, "SELECT code_hash FROM two_factor_backup_codes")
    for secret in secrets:
        assert not seen_in(stored, secret) and not seen_in(kept_codes, secret)

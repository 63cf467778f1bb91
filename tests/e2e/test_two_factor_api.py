"""Two-factor authentication with TOTP over real HTTP: setup, the sign-in's second step,
replays, backup codes, disabling, an enforcing organization, and an admin's suspend and reset."""

import concurrent.futures
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_secrets_stay_out_of_logs import all_logs
from tests.e2e.two_factor_steps import (
    Authenticator,
    bearer,
    call,
    enable_totp,
    new_member,
    profile,
    sign_in,
    temp_token,
    verify,
)
from tests.support import Stack, wait_until

TOKEN_FIELDS = {"access_token", "token_type", "two_factor_required", "two_factor_setup_required",
                "two_factor_method", "temp_token", "refresh_token", "expires_in"}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Two Factor Shop")


def test_totp_setup_then_sign_in_asks_for_a_code_and_answers_full_tokens(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    started = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "totp"})
    assert started.status_code == 200, started.text
    assert "no-store" in started.headers["cache-control"]
    body = started.json()
    assert set(body) == {"method", "secret", "otpauth_uri", "message"}
    assert body["method"] == "totp" and len(body["secret"]) == 32
    uri = urlparse(body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["secret"] == [body["secret"]]
    assert member.email in uri.path.replace("%40", "@")
    assert profile(stack, member.headers)["two_factor_enabled"] is False  # not before confirming

    app = Authenticator(body["secret"])
    confirmed = call(stack, "POST", "/auth/2fa/confirm", member.headers, {"code": app.code()})
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["backup_codes"]
    assert len(codes) == len(set(codes)) == 10 and confirmed.json()["message"]
    me = profile(stack, member.headers)
    assert (me["two_factor_enabled"], me["two_factor_method"]) == (True, "totp")

    assert call(stack, "POST", "/auth/logout", body={}).status_code == 204
    first = sign_in(stack, member.email)
    assert first.status_code == 200 and set(first.json()) == TOKEN_FIELDS
    assert first.json()["two_factor_required"] is True
    assert first.json()["two_factor_setup_required"] is False
    assert first.json()["two_factor_method"] == "totp"
    token = temp_token(stack, member.email)
    done = verify(stack, token, app.code())
    assert done.status_code == 200, done.text
    tokens = done.json()
    assert set(tokens) == TOKEN_FIELDS and tokens["two_factor_required"] is False
    assert tokens["temp_token"] is None and tokens["refresh_token"]
    assert done.cookies["access_token"] == tokens["access_token"]
    assert profile(stack, bearer(tokens))["last_login_at"] is not None
    refreshed = call(stack, "POST", "/auth/refresh", body={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200


def test_a_replayed_totp_code_is_refused_and_the_refusal_logged(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, _ = enable_totp(stack, member.headers)
    confirmation_code = app.last_code
    spent = verify(stack, temp_token(stack, member.email), confirmation_code)
    assert spent.status_code == 401, spent.text
    code = app.code()
    assert verify(stack, temp_token(stack, member.email), code).status_code == 200
    replayed = verify(stack, temp_token(stack, member.email), code)
    assert replayed.status_code == 401, replayed.text
    assert replayed.json()["detail"] == "invalid or expired two-factor code"
    wait_until(lambda: len(replay_lines(stack, member.user_id)) >= 2, 10, "the replay log lines")
    for line in replay_lines(stack, member.user_id):
        assert code not in line and confirmation_code not in line


def replay_lines(stack: Stack, user_id: str) -> list[str]:
    return [line for line in all_logs(stack).splitlines()
            if "totp_replay_refused" in line and user_id in line]


def test_a_wrong_code_is_refused_and_a_right_one_still_passes(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, _ = enable_totp(stack, member.headers)
    token = temp_token(stack, member.email)
    for wrong in (app.wrong_code(), "12345", "not-a-code", " "):
        response = verify(stack, token, wrong)
        assert response.status_code == 401, (wrong, response.text)
    assert verify(stack, token, app.code()).status_code == 200


def test_a_backup_code_works_once(stack: Stack, tenant: Tenant) -> None:
    member = new_member(stack, tenant)
    _, codes = enable_totp(stack, member.headers)
    assert verify(stack, temp_token(stack, member.email), codes[0]).status_code == 200
    used_again = verify(stack, temp_token(stack, member.email), codes[0])
    assert used_again.status_code == 401
    typed_loosely = codes[1].replace("-", "").upper()
    assert verify(stack, temp_token(stack, member.email), typed_loosely).status_code == 200


def test_one_backup_code_sent_twice_at_once_passes_once(stack: Stack, tenant: Tenant) -> None:
    member = new_member(stack, tenant)
    _, codes = enable_totp(stack, member.headers)
    tokens = [temp_token(stack, member.email) for _ in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda t: verify(stack, t, codes[5]).status_code, tokens))
    assert sorted(answers) == [200, 401, 401, 401]


def test_setting_up_again_while_on_is_a_conflict_and_confirming_nothing_too(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    nothing = call(stack, "POST", "/auth/2fa/confirm", member.headers, {"code": "123456"})
    assert nothing.status_code == 409, nothing.text
    enable_totp(stack, member.headers)
    again = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "totp"})
    assert again.status_code == 409 and "already enabled" in again.json()["detail"]
    unknown = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "sms"})
    assert unknown.status_code == 422 and "totp, email" in unknown.json()["detail"]


def test_a_wrong_confirmation_code_keeps_2fa_off(stack: Stack, tenant: Tenant) -> None:
    member = new_member(stack, tenant)
    started = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "totp"})
    app = Authenticator(started.json()["secret"])
    wrong = call(stack, "POST", "/auth/2fa/confirm", member.headers, {"code": app.wrong_code()})
    assert wrong.status_code == 400 and wrong.json()["status"] == 400
    assert profile(stack, member.headers)["two_factor_enabled"] is False
    assert sign_in(stack, member.email).json()["two_factor_required"] is False


def test_disabling_takes_a_valid_code_then_sign_in_needs_none(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, codes = enable_totp(stack, member.headers)
    wrong = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": app.wrong_code()})
    assert wrong.status_code == 400
    tokens = verify(stack, temp_token(stack, member.email), codes[0]).json()
    used = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": codes[0]})
    assert used.status_code == 400  # that backup code is spent
    off = call(stack, "POST", "/auth/2fa/disable", bearer(tokens), {"code": app.code()})
    assert off.status_code == 200, off.text
    assert off.json()["message"]
    me = profile(stack, member.headers)
    assert (me["two_factor_enabled"], me["two_factor_method"]) == (False, None)
    plain = sign_in(stack, member.email)
    assert plain.json()["two_factor_required"] is False and plain.json()["access_token"]
    not_on = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": codes[1]})
    assert not_on.status_code == 409


def test_a_totp_user_is_told_to_use_the_app_instead_of_a_disable_mail(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    enable_totp(stack, member.headers)
    response = call(stack, "POST", "/auth/2fa/send-disable-code", member.headers)
    assert response.status_code == 409 and "authenticator app" in response.json()["detail"]


def enforcing_tenant(stack: Stack, name: str) -> Tenant:
    tenant = new_tenant(stack, name)
    changed = call(stack, "PATCH", "/organization", tenant.headers, {"enforce_2fa": True})
    assert changed.status_code == 200 and changed.json()["enforce_2fa"] is True
    return tenant


def test_disabling_is_refused_while_the_organization_enforces_2fa(stack: Stack) -> None:
    tenant = new_tenant(stack, "Strict Shop")
    member = new_member(stack, tenant)
    _, codes = enable_totp(stack, member.headers)
    call(stack, "PATCH", "/organization", tenant.headers, {"enforce_2fa": True})
    refused = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": codes[0]})
    assert refused.status_code == 403, refused.text
    assert "organization requires two-factor" in refused.json()["detail"]
    assert profile(stack, member.headers)["two_factor_enabled"] is True
    # the refusal did not spend the backup code
    assert verify(stack, temp_token(stack, member.email), codes[0]).status_code == 200


def test_an_enforcing_organization_makes_a_user_set_up_2fa_while_signing_in(
    stack: Stack,
) -> None:
    tenant = enforcing_tenant(stack, "Enforcing Shop")
    member = new_member(stack, tenant, signed_in=False)
    answer = sign_in(stack, member.email).json()
    assert answer["two_factor_setup_required"] is True and answer["two_factor_required"] is False
    assert answer["two_factor_method"] is None and answer["access_token"] == ""
    token = answer["temp_token"]
    assert call(stack, "GET", "/users/me", {"Authorization": f"Bearer {token}"}).status_code == 401
    assert verify(stack, token, "123456").status_code == 401  # not a `2fa` temp token
    started = call(stack, "POST", "/auth/2fa/setup-with-temp",
                   body={"temp_token": token, "method": "totp"})
    assert started.status_code == 200, started.text
    app = Authenticator(started.json()["secret"])
    wrong = call(stack, "POST", "/auth/2fa/confirm-with-temp",
                 body={"temp_token": token, "code": app.wrong_code()})
    assert wrong.status_code == 400
    confirmed = call(stack, "POST", "/auth/2fa/confirm-with-temp",
                     body={"temp_token": token, "code": app.code()})
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert len(body["backup_codes"]) == 10 and body["message"]
    assert body["access_token"] and body["refresh_token"] and body["token_type"] == "bearer"
    me = profile(stack, bearer(body))
    assert (me["email"], me["two_factor_enabled"]) == (member.email, True)
    assert verify(stack, temp_token(stack, member.email), app.code()).status_code == 200


def test_an_admin_suspends_2fa_and_the_user_turns_it_back_on_without_a_new_setup(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, _ = enable_totp(stack, member.headers)
    suspended = call(stack, "POST", f"/users/{member.user_id}/2fa/disable", tenant.headers)
    assert suspended.status_code == 200, suspended.text
    shown = call(stack, "GET", f"/users/{member.user_id}", tenant.headers).json()
    assert (shown["two_factor_enabled"], shown["two_factor_method"]) == (False, "totp")
    direct = sign_in(stack, member.email).json()
    assert direct["two_factor_required"] is False and direct["access_token"]
    again = call(stack, "POST", f"/users/{member.user_id}/2fa/disable", tenant.headers)
    assert again.status_code == 200
    back = call(stack, "POST", "/auth/2fa/confirm", bearer(direct), {"code": app.code()})
    assert back.status_code == 200, back.text
    assert profile(stack, member.headers)["two_factor_enabled"] is True
    assert verify(stack, temp_token(stack, member.email), app.code()).status_code == 200


def test_an_admin_reset_removes_2fa_and_a_new_setup_has_a_new_secret(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    app, _ = enable_totp(stack, member.headers)
    reset = call(stack, "POST", f"/users/{member.user_id}/2fa/reset", tenant.headers)
    assert reset.status_code == 200, reset.text
    shown = call(stack, "GET", f"/users/{member.user_id}", tenant.headers).json()
    assert (shown["two_factor_enabled"], shown["two_factor_method"]) == (False, None)
    assert sign_in(stack, member.email).json()["two_factor_required"] is False
    old = call(stack, "POST", "/auth/2fa/confirm", member.headers, {"code": app.code()})
    assert old.status_code == 409  # nothing to turn back on
    restarted = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "totp"})
    assert restarted.json()["secret"] != app.secret
    assert call(stack, "POST", f"/users/{member.user_id}/2fa/disable",
                tenant.headers).status_code == 409  # not enabled


def test_only_a_signed_in_admin_suspends_or_resets_2fa(stack: Stack, tenant: Tenant) -> None:
    member = new_member(stack, tenant)
    other = new_member(stack, tenant)
    key = call(stack, "POST", "/api-keys", tenant.headers, {"name": "2fa admin"}).json()["key"]
    for action in ("disable", "reset"):
        path = f"/users/{other.user_id}/2fa/{action}"
        assert call(stack, "POST", path, member.headers).status_code == 403
        assert call(stack, "POST", path, {"Authorization": f"ApiKey {key}"}).status_code == 403
        assert call(stack, "POST", path).status_code == 401
        unknown = call(stack, "POST", "/users/00000000-0000-4000-8000-000000000000/2fa/"
                       + action, tenant.headers)
        assert unknown.status_code == 404
    by_key = call(stack, "POST", "/auth/2fa/setup", {"Authorization": f"ApiKey {key}"},
                  {"method": "totp"})
    assert by_key.status_code == 403

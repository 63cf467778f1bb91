"""Two-factor authentication by e-mailed codes over real HTTP: setup, sign-in, resend,
expiry, disabling with a mailed code."""

import dataclasses
import time
from collections.abc import Iterator

import pytest

from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.mailbox import code_in, wait_for_mail
from tests.e2e.two_factor_steps import (
    SEEN_SECRETS,
    Member,
    bearer,
    call,
    new_member,
    profile,
    sign_in,
    temp_token,
    verify,
)
from tests.support import Processes, Stack

CODE_SECONDS = 2


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Mail Code Shop")


@pytest.fixture(scope="module")
def quick(stack: Stack) -> Iterator[Stack]:
    """A second API on the same database whose codes expire after two seconds and may be
    asked for again at once."""
    settings = dataclasses.replace(stack.settings, email_code_seconds=CODE_SECONDS,
                                   email_code_resend_seconds=0)
    processes = Processes(settings, stack.processes.log_dir)
    try:
        yield Stack(settings=settings, base_url=processes.start_api(), processes=processes)
    finally:
        processes.stop_all()


def mailed_code(stack: Stack, member: Member) -> str:
    mail = wait_for_mail(stack, member.email, kind="2fa_code")
    code = code_in(mail)
    SEEN_SECRETS.append(code)
    return code


def enable_email(stack: Stack, member: Member) -> list[str]:
    started = call(stack, "POST", "/auth/2fa/setup", member.headers, {"method": "email"})
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["method"] == "email" and body["secret"] is None and body["otpauth_uri"] is None
    assert member.email in body["message"]
    confirmed = call(stack, "POST", "/auth/2fa/confirm", member.headers,
                     {"code": mailed_code(stack, member)})
    assert confirmed.status_code == 200, confirmed.text
    codes = list(confirmed.json()["backup_codes"])
    SEEN_SECRETS.extend(codes)
    return codes


def test_the_email_method_signs_in_with_a_mailed_code_used_once(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    enable_email(stack, member)
    me = profile(stack, member.headers)
    assert (me["two_factor_enabled"], me["two_factor_method"]) == (True, "email")
    answer = sign_in(stack, member.email).json()
    assert answer["two_factor_required"] is True and answer["two_factor_method"] == "email"
    mail = wait_for_mail(stack, member.email, kind="2fa_code")
    assert mail.subject == "Your sign-in code" and mail.to == member.email
    code = code_in(mail)
    SEEN_SECRETS.append(code)
    done = verify(stack, answer["temp_token"], code)
    assert done.status_code == 200, done.text
    assert profile(stack, bearer(done.json()))["email"] == member.email
    assert verify(stack, temp_token(stack, member.email), code).status_code == 401


def test_a_wrong_mailed_code_is_refused_and_five_wrong_tries_spend_the_code(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    enable_email(stack, member)
    token = temp_token(stack, member.email)
    code = mailed_code(stack, member)
    wrong = "000000" if code != "000000" else "111111"
    assert verify(stack, token, wrong).status_code == 401
    assert verify(stack, token, code).status_code == 200
    token = temp_token(stack, member.email)
    code = mailed_code(stack, member)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert verify(stack, token, wrong).status_code == 401
    assert verify(stack, token, code).status_code == 401  # too many tries on this code


def test_asking_for_another_code_at_once_is_429_with_retry_after(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    enable_email(stack, member)
    token = temp_token(stack, member.email)
    response = call(stack, "POST", "/auth/2fa/resend-email-code", body={"temp_token": token})
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["retry-after"]) <= 30


def test_a_resent_code_replaces_the_previous_one(quick: Stack, tenant: Tenant) -> None:
    member = new_member(quick, tenant)
    enable_email(quick, member)
    token = temp_token(quick, member.email)
    first = mailed_code(quick, member)
    resent = call(quick, "POST", "/auth/2fa/resend-email-code", body={"temp_token": token})
    assert resent.status_code == 200, resent.text
    second = mailed_code(quick, member)
    if first != second:
        assert verify(quick, token, first).status_code == 401
    assert verify(quick, token, second).status_code == 200


def test_an_expired_mailed_code_is_refused(quick: Stack, tenant: Tenant) -> None:
    member = new_member(quick, tenant)
    enable_email(quick, member)
    token = temp_token(quick, member.email)
    code = mailed_code(quick, member)
    time.sleep(CODE_SECONDS + 1)
    assert verify(quick, token, code).status_code == 401
    call(quick, "POST", "/auth/2fa/resend-email-code", body={"temp_token": token})
    assert verify(quick, token, mailed_code(quick, member)).status_code == 200


def test_an_email_setup_code_can_be_resent_by_the_signed_in_user(
    quick: Stack, tenant: Tenant,
) -> None:
    member = new_member(quick, tenant)
    call(quick, "POST", "/auth/2fa/setup", member.headers, {"method": "email"})
    mailed_code(quick, member)
    resent = call(quick, "POST", "/auth/2fa/resend-email-code", member.headers)
    assert resent.status_code == 200, resent.text
    confirmed = call(quick, "POST", "/auth/2fa/confirm", member.headers,
                     {"code": mailed_code(quick, member)})
    assert confirmed.status_code == 200, confirmed.text
    nothing = call(quick, "POST", "/auth/2fa/resend-email-code")
    assert nothing.status_code == 401


def test_the_email_method_is_disabled_with_a_mailed_disable_code(
    stack: Stack, tenant: Tenant,
) -> None:
    member = new_member(stack, tenant)
    enable_email(stack, member)
    sent = call(stack, "POST", "/auth/2fa/send-disable-code", member.headers)
    assert sent.status_code == 200, sent.text
    mail = wait_for_mail(stack, member.email, kind="2fa_code")
    assert "turn off" in mail.subject
    code = code_in(mail)
    SEEN_SECRETS.append(code)
    off = call(stack, "POST", "/auth/2fa/disable", member.headers, {"code": code})
    assert off.status_code == 200, off.text
    assert profile(stack, member.headers)["two_factor_enabled"] is False
    assert sign_in(stack, member.email).json()["access_token"]


def test_an_enforced_setup_by_email_signs_in_with_the_mailed_code(stack: Stack) -> None:
    tenant = new_tenant(stack, "Enforcing Mail Shop")
    call(stack, "PATCH", "/organization", tenant.headers, {"enforce_2fa": True})
    member = new_member(stack, tenant, signed_in=False)
    token = temp_token(stack, member.email, "two_factor_setup_required")
    started = call(stack, "POST", "/auth/2fa/setup-with-temp",
                   body={"temp_token": token, "method": "email"})
    assert started.status_code == 200, started.text
    confirmed = call(stack, "POST", "/auth/2fa/confirm-with-temp",
                     body={"temp_token": token, "code": mailed_code(stack, member)})
    assert confirmed.status_code == 200, confirmed.text
    SEEN_SECRETS.extend(confirmed.json()["backup_codes"])
    assert profile(stack, bearer(confirmed.json()))["two_factor_method"] == "email"

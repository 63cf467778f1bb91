"""Invitations over real HTTP: mailed links, validate, accept, resend, revoke, expiry, tenancy."""

import asyncio
import re
import secrets
import time
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest

from adapters.passwords import token_hash
from commands.identity.invitations import CreateInvitation, create_invitation
from projections.identity.projection import IdentityDirectory
from projections.verify import differences
from tests.e2e.helpers import PASSWORD, Tenant, add_user, login, new_tenant, run_commands, unique_email
from tests.e2e.mailbox import Mail, wait_for_mail
from tests.support import Stack, wait_for_projections

INVITATION_FIELDS = {"id", "email", "role", "status", "invited_by_email", "created_at",
                     "expires_at", "accepted_at"}
VALIDATION_FIELDS = {"email", "organization_name", "role", "is_valid", "status", "expires_at"}
LINK = re.compile(r"(\S+)/accept-invitation\?token=([A-Za-z0-9_-]+)")
SEEN_TOKENS: list[str] = []


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Inviting Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str] | None = None,
         body: object = None, **params: str) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers or {},
                         json=body, params=params, timeout=30)


def token_in(mail: Mail) -> str:
    found = LINK.search(mail.body)
    assert found is not None, mail.subject
    SEEN_TOKENS.append(found.group(2))
    return found.group(2)


def invite(stack: Stack, tenant: Tenant, email: str | None = None,
           role: str = "member") -> tuple[dict[str, Any], str]:
    """A new invitation through the API, and the token of the link mailed for it."""
    email = email or unique_email("invitee")
    response = call(stack, "POST", "/invitations", tenant.headers, {"email": email, "role": role})
    assert response.status_code == 200, response.text
    return response.json(), token_in(wait_for_mail(stack, email, kind="invitation"))


def accept(stack: Stack, token: str, password: str = PASSWORD) -> httpx.Response:
    return call(stack, "POST", "/invitations/accept", body={
        "token": token, "password": password, "first_name": "Ada", "last_name": "Lovelace"})


def listed(stack: Stack, tenant: Tenant) -> dict[str, dict[str, Any]]:
    response = call(stack, "GET", "/invitations", tenant.headers)
    assert response.status_code == 200, response.text
    return {i["id"]: i for i in response.json()}


def test_an_invitee_follows_the_mailed_link_accepts_and_signs_in(
    stack: Stack, tenant: Tenant,
) -> None:
    email = unique_email("Invitee")
    created = call(stack, "POST", "/invitations", tenant.headers, {"email": email, "role": "admin"})
    assert created.status_code == 200, created.text
    invitation = created.json()
    assert set(invitation) == INVITATION_FIELDS
    assert (invitation["email"], invitation["role"], invitation["status"]) == (
        email.lower(), "admin", "pending")
    assert invitation["invited_by_email"] == tenant.email and invitation["accepted_at"] is None
    lifetime = (datetime.fromisoformat(invitation["expires_at"])
                - datetime.fromisoformat(invitation["created_at"]))
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=1)

    mail = wait_for_mail(stack, email, kind="invitation")
    assert "Inviting Shop" in mail.subject and tenant.email in mail.body
    base, token = LINK.search(mail.body).groups()  # type: ignore[union-attr]
    assert base == stack.base_url
    SEEN_TOKENS.append(token)

    valid = call(stack, "GET", "/invitations/validate", token=token)
    assert valid.status_code == 200, valid.text
    assert valid.json() == {"email": email.lower(), "organization_name": "Inviting Shop",
                            "role": "admin", "is_valid": True, "status": "pending",
                            "expires_at": invitation["expires_at"]}

    accepted = accept(stack, token)
    assert accepted.status_code == 200, accepted.text
    user = accepted.json()
    assert (user["email"], user["role"], user["organization_id"], user["organization_name"]) == (
        email.lower(), "admin", str(tenant.org_id), "Inviting Shop")
    assert (user["first_name"], user["last_name"]) == ("Ada", "Lovelace")

    me = call(stack, "GET", "/users/me", login(stack.base_url, email))
    assert me.json()["id"] == user["user_id"] and me.json()["organization"]["id"] == str(tenant.org_id)
    shown = listed(stack, tenant)[invitation["id"]]
    assert shown["status"] == "accepted" and shown["accepted_at"] is not None
    after = call(stack, "GET", "/invitations/validate", token=token).json()
    assert (after["is_valid"], after["status"]) == (False, "accepted")
    again = accept(stack, token, "another password 123")
    assert again.status_code == 410 and "already used" in again.json()["detail"]


def test_invitations_are_listed_newest_first_in_every_state(stack: Stack) -> None:
    tenant = new_tenant(stack, "Listing Shop")
    first, _ = invite(stack, tenant)
    second, _ = invite(stack, tenant)
    third, token = invite(stack, tenant)
    assert call(stack, "POST", f"/invitations/{second['id']}/revoke", tenant.headers) \
        .status_code == 200
    assert accept(stack, token).status_code == 200
    response = call(stack, "GET", "/invitations", tenant.headers)
    assert [i["id"] for i in response.json()] == [third["id"], second["id"], first["id"]]
    assert [i["status"] for i in response.json()] == ["accepted", "revoked", "pending"]
    assert all(set(i) == INVITATION_FIELDS for i in response.json())


def test_a_resend_mails_a_new_link_and_the_old_one_stops_working(
    stack: Stack, tenant: Tenant,
) -> None:
    invitation, old = invite(stack, tenant)
    resent = call(stack, "POST", f"/invitations/{invitation['id']}/resend", tenant.headers)
    assert resent.status_code == 200, resent.text
    assert set(resent.json()) == INVITATION_FIELDS and resent.json()["status"] == "pending"
    assert resent.json()["expires_at"] > invitation["expires_at"]
    new = token_in(wait_for_mail(stack, invitation["email"], kind="invitation"))
    assert new != old
    assert call(stack, "GET", "/invitations/validate", token=old).status_code == 404
    assert accept(stack, old).status_code == 404
    assert call(stack, "GET", "/invitations/validate", token=new).json()["is_valid"] is True
    assert accept(stack, new).status_code == 200


def test_a_revoked_invitation_cannot_be_accepted_nor_resent(stack: Stack, tenant: Tenant) -> None:
    invitation, token = invite(stack, tenant)
    revoked = call(stack, "POST", f"/invitations/{invitation['id']}/revoke", tenant.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    seen = call(stack, "GET", "/invitations/validate", token=token).json()
    assert (seen["is_valid"], seen["status"]) == (False, "revoked")
    refused = accept(stack, token)
    assert refused.status_code == 410 and "revoked" in refused.json()["detail"]
    resend = call(stack, "POST", f"/invitations/{invitation['id']}/resend", tenant.headers)
    assert resend.status_code == 409, resend.text
    again = call(stack, "POST", f"/invitations/{invitation['id']}/revoke", tenant.headers)
    assert again.status_code == 200 and again.json()["status"] == "revoked"
    login_refused = httpx.post(f"{stack.base_url}/api/v1/auth/login", timeout=30,
                               json={"email": invitation["email"], "password": PASSWORD})
    assert login_refused.status_code == 401


def test_an_expired_invitation_is_refused_until_it_is_resent(stack: Stack, tenant: Tenant) -> None:
    email, token, invitation_id = unique_email("late"), secrets.token_urlsafe(32), uuid4()
    SEEN_TOKENS.append(token)
    run_commands(stack, (create_invitation, CreateInvitation(
        org_id=tenant.org_id, invitation_id=invitation_id, email=email, token=token,
        public_url=stack.base_url, valid_for=timedelta(seconds=1))))
    wait_for_mail(stack, email, kind="invitation")
    time.sleep(1.2)
    assert listed(stack, tenant)[str(invitation_id)]["status"] == "expired"
    seen = call(stack, "GET", "/invitations/validate", token=token).json()
    assert (seen["is_valid"], seen["status"]) == (False, "expired")
    refused = accept(stack, token)
    assert refused.status_code == 410 and "expired" in refused.json()["detail"]
    resent = call(stack, "POST", f"/invitations/{invitation_id}/resend", tenant.headers)
    assert resent.status_code == 200 and resent.json()["status"] == "pending"
    fresh = token_in(wait_for_mail(stack, email, kind="invitation"))
    assert accept(stack, fresh).status_code == 200


def test_an_unknown_token_is_not_found(stack: Stack) -> None:
    for token in (secrets.token_urlsafe(32), "", "x" * 500):
        assert call(stack, "GET", "/invitations/validate", token=token).status_code == 404
        refused = accept(stack, token)
        assert refused.status_code == 404 and refused.json()["detail"] == "invitation not found"
    assert call(stack, "GET", "/invitations/validate").status_code == 400


def test_an_email_that_has_a_user_or_a_pending_invitation_is_refused(
    stack: Stack, tenant: Tenant,
) -> None:
    other = new_tenant(stack, "Other Shop")
    for email in (tenant.email, other.email.upper()):
        taken = call(stack, "POST", "/invitations", tenant.headers, {"email": email})
        assert taken.status_code == 409 and "already registered" in taken.json()["detail"]
    invitation, _ = invite(stack, tenant)
    twice = call(stack, "POST", "/invitations", tenant.headers, {"email": invitation["email"]})
    assert twice.status_code == 409 and "pending" in twice.json()["detail"]
    elsewhere = call(stack, "POST", "/invitations", other.headers, {"email": invitation["email"]})
    assert elsewhere.status_code == 200  # another organization may invite the same person
    theirs = token_in(wait_for_mail(stack, invitation["email"], kind="invitation"))
    assert accept(stack, theirs).json()["organization_name"] == "Other Shop"
    late = call(stack, "POST", f"/invitations/{invitation['id']}/resend", tenant.headers)
    assert late.status_code == 409 and "already registered" in late.json()["detail"]


def test_a_member_may_not_manage_invitations(stack: Stack, tenant: Tenant) -> None:
    invitation, _ = invite(stack, tenant)
    member = add_user(stack, tenant, "member")
    for method, path, body in [
        ("GET", "/invitations", None),
        ("POST", "/invitations", {"email": unique_email()}),
        ("POST", f"/invitations/{invitation['id']}/resend", None),
        ("POST", f"/invitations/{invitation['id']}/revoke", None),
    ]:
        response = call(stack, method, path, member, body)
        assert response.status_code == 403, (method, path, response.text)
        assert call(stack, method, path, None, body).status_code == 401
    assert listed(stack, tenant)[invitation["id"]]["status"] == "pending"


def test_another_organizations_invitation_ids_answer_404(stack: Stack, tenant: Tenant) -> None:
    invitation, token = invite(stack, tenant)
    other = new_tenant(stack, "Nosy Shop")
    key = call(stack, "POST", "/api-keys", other.headers, {"name": "nosy"}).json()["key"]
    for headers in (other.headers, {"Authorization": f"Bearer {key}"}):
        for action in ("resend", "revoke"):
            response = call(stack, "POST", f"/invitations/{invitation['id']}/{action}", headers)
            assert response.status_code == 404, response.text
        mine = call(stack, "GET", "/invitations", headers)
        assert mine.status_code == 200 and invitation["id"] not in mine.text
    for action in ("resend", "revoke"):
        assert call(stack, "POST", f"/invitations/{uuid4()}/{action}", tenant.headers) \
            .status_code == 404
    assert call(stack, "GET", "/invitations/validate", token=token).json()["is_valid"] is True


def test_bad_input_is_refused_with_a_clear_4xx_and_nothing_written(
    stack: Stack, tenant: Tenant,
) -> None:
    for body, status, word in [
        ({"email": "not-an-email"}, 422, "email"),
        ({"email": unique_email(), "role": "owner"}, 422, "role"),
        ({"role": "member"}, 400, "email"),
        ({"email": 5}, 400, "email"),
    ]:
        response = call(stack, "POST", "/invitations", tenant.headers, body)
        assert response.status_code == status, (body, response.text)
        assert word in response.json()["detail"]
    invitation, token = invite(stack, tenant)
    short = accept(stack, token, "short")
    assert short.status_code == 422 and "password" in short.json()["detail"]
    no_password = call(stack, "POST", "/invitations/accept", body={"token": token})
    assert no_password.status_code == 400
    long_name = call(stack, "POST", "/invitations/accept", body={
        "token": token, "password": PASSWORD, "first_name": "x" * 101})
    assert long_name.status_code == 422 and "first_name" in long_name.json()["detail"]
    assert call(stack, "POST", "/invitations/not-a-uuid/revoke", tenant.headers).status_code \
        in (400, 404)
    assert listed(stack, tenant)[invitation["id"]]["status"] == "pending"
    assert accept(stack, token).status_code == 200


def test_a_user_made_by_an_admin_is_mailed_a_welcome_without_the_password(
    stack: Stack, tenant: Tenant,
) -> None:
    email, password = unique_email("welcomed"), "Welcome-Secret-" + uuid4().hex[:8]
    created = call(stack, "POST", "/users", tenant.headers, {"email": email, "password": password})
    assert created.status_code == 200, created.text
    mail = wait_for_mail(stack, email, kind="welcome")
    assert mail.subject == "Welcome to Inviting Shop on copydesk"
    assert email in mail.body and f"{stack.base_url}/login" in mail.body
    assert password not in mail.body


def test_no_invitation_token_or_its_hash_enters_the_event_log(
    stack: Stack, tenant: Tenant,
) -> None:
    invite(stack, tenant)
    assert SEEN_TOKENS
    with psycopg.connect(stack.settings.database_url) as conn:
        states = [bytes(row[0]) for row in conn.execute("SELECT state FROM events")]
        audit = " ".join(str(r[0]) for r in conn.execute("SELECT data FROM rm_audit.audit_log"))
    assert any(b"token_fingerprint" in state for state in states)
    for token in SEEN_TOKENS:
        for secret in (token, token_hash(token)):
            assert not any(secret.encode() in state for state in states)
            assert secret not in audit


def test_the_identity_read_model_equals_a_rebuild_from_the_log(stack: Stack) -> None:
    wait_for_projections(stack.settings)

    async def check() -> list[str]:
        async with await psycopg.AsyncConnection.connect(stack.settings.database_url,
                                                         autocommit=True) as conn:
            return await differences(conn, IdentityDirectory())

    assert asyncio.run(check()) == []

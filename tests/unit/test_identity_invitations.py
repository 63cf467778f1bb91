"""Invitations: the aggregate's lifecycle rules, and their handlers on the in-memory store."""

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from adapters.postgres.email_outbox import OUTBOX_SQL
from commands.identity.invitations import (
    AcceptInvitation,
    CreateInvitation,
    ResendInvitation,
    RevokeInvitation,
    accept_invitation,
    create_invitation,
    resend_invitation,
    revoke_invitation,
)
from commands.identity.organization import CreateOrganization, create_organization
from commands.identity.users import RegisterUser, register_user
from domain.errors import GoneError, InvalidCommandError, NotFoundError
from domain.identity.errors import EmailTakenError, InvitationClosedError, InvitationPendingError
from domain.identity.events import (
    InvitationAccepted,
    InvitationCreated,
    InvitationResent,
    InvitationRevoked,
)
from domain.identity.invitation import Invitation, token_digest
from domain.identity.organization import Organization
from domain.identity.user import User
from projections.identity.invitation_queries import INVITATION_TOKEN_SQL as TOKEN_SQL
from projections.identity.queries import PASSWORD_SQL
from tests.unit.world import InMemoryWorld

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
TOKEN = "tok_" + "a1" * 20
OTHER_TOKEN = "tok_" + "b2" * 20
URL = "https://app.example.test"
ORG = UUID("0b5e0c6a-8f3e-4e43-9a55-5c7b1d2f9e01")


def fresh_email() -> str:
    return f"{uuid4().hex[:8]}@invitee.test"


# --- the aggregate: given events, when a command, then events -------------------------------


def created(token: str = TOKEN) -> Invitation:
    """Given an invitation made at NOW with `token`."""
    return Invitation.rebuild(uuid4(), [InvitationCreated(
        org_id=ORG, email=fresh_email(), role="member", invited_by=None,
        token_fingerprint=token_digest(token)[:8], expires_at=NOW + timedelta(days=7),
        occurred_at=NOW)])


def test_an_invitation_records_a_fingerprint_of_its_token_and_a_seven_day_expiry() -> None:
    invitation = Invitation(uuid4())
    org_id, admin = uuid4(), uuid4()
    invitation.create(org_id=org_id, email=" New@Invitee.TEST ", role="admin", invited_by=admin,
                      token=TOKEN, now=NOW)
    [event] = invitation.collect()
    assert event == InvitationCreated(
        org_id=org_id, email="new@invitee.test", role="admin", invited_by=admin,
        token_fingerprint=hashlib.sha256(TOKEN.encode()).hexdigest()[:8],
        expires_at=NOW + timedelta(days=7), occurred_at=NOW)
    assert TOKEN not in repr(event) and token_digest(TOKEN) not in repr(event)
    assert invitation.status(NOW + timedelta(days=7) - timedelta(seconds=1)) == "pending"
    assert invitation.status(NOW + timedelta(days=7)) == "expired"


@pytest.mark.parametrize(("change", "message"), [
    ({"email": "not-an-email"}, "email"),
    ({"role": "owner"}, "role"),
    ({"token": "short"}, "token"),
    ({"valid_for": timedelta(0)}, "valid"),
    ({"valid_for": timedelta(days=31)}, "valid"),
])
def test_an_invitation_needs_an_email_a_role_a_long_token_and_a_sane_lifetime(
    change: dict[str, Any], message: str,
) -> None:
    args: dict[str, Any] = {"org_id": uuid4(), "email": fresh_email(), "role": "member",
                            "invited_by": None, "token": TOKEN, "now": NOW, **change}
    invitation = Invitation(uuid4())
    with pytest.raises(InvalidCommandError, match=message):
        invitation.create(**args)
    assert invitation.collect() == []


def test_the_right_token_within_its_lifetime_accepts_once() -> None:
    invitation = created()
    user_id = uuid4()
    invitation.accept(token=TOKEN, user_id=user_id, now=NOW + timedelta(days=6))
    assert invitation.collect() == [InvitationAccepted(
        org_id=ORG, user_id=user_id, occurred_at=NOW + timedelta(days=6))]
    assert invitation.status(NOW) == "accepted"
    with pytest.raises(GoneError, match="already used"):
        invitation.accept(token=TOKEN, user_id=uuid4(), now=NOW)


def test_a_wrong_token_finds_no_invitation() -> None:
    invitation = created()
    with pytest.raises(NotFoundError, match="invitation not found"):
        invitation.accept(token=OTHER_TOKEN, user_id=uuid4(), now=NOW)
    assert invitation.collect() == []


def test_an_expired_invitation_is_refused_as_gone() -> None:
    invitation = created()
    with pytest.raises(GoneError, match="expired"):
        invitation.accept(token=TOKEN, user_id=uuid4(), now=NOW + timedelta(days=7))


def test_a_revoked_invitation_is_refused_as_gone_and_revoking_again_changes_nothing() -> None:
    invitation = created()
    invitation.revoke()
    invitation.revoke()
    assert [type(event) for event in invitation.collect()] == [InvitationRevoked]
    with pytest.raises(GoneError, match="revoked"):
        invitation.accept(token=TOKEN, user_id=uuid4(), now=NOW)


def test_a_resend_replaces_the_token_and_the_expiry() -> None:
    invitation = created()
    later = NOW + timedelta(days=10)  # past the first expiry: an expired one may be resent
    invitation.resend(token=OTHER_TOKEN, now=later)
    assert invitation.collect() == [InvitationResent(
        org_id=ORG, token_fingerprint=token_digest(OTHER_TOKEN)[:8],
        expires_at=later + timedelta(days=7), occurred_at=later)]
    with pytest.raises(NotFoundError):
        invitation.accept(token=TOKEN, user_id=uuid4(), now=later)
    invitation.accept(token=OTHER_TOKEN, user_id=uuid4(), now=later + timedelta(days=1))
    assert invitation.status(later) == "accepted"


@pytest.mark.parametrize("close", ["accept", "revoke"])
def test_a_closed_invitation_can_be_neither_resent_nor_revoked_after_acceptance(
    close: str,
) -> None:
    invitation = created()
    if close == "accept":
        invitation.accept(token=TOKEN, user_id=uuid4(), now=NOW)
        with pytest.raises(InvitationClosedError):
            invitation.revoke()
    else:
        invitation.revoke()
    with pytest.raises(InvitationClosedError):
        invitation.resend(token=OTHER_TOKEN, now=NOW)


# --- the handlers on the in-memory store ----------------------------------------------------


class World(InMemoryWorld):
    def __init__(self) -> None:
        super().__init__()
        self.org = self.new_org()

    def new_org(self) -> CreateOrganization:
        cmd = CreateOrganization(org_id=uuid4(), name="Acme", admin_user_id=uuid4(),
                                 admin_email=fresh_email(), admin_password_hash="argon2$admin")
        self.when(create_organization, cmd)
        return cmd

    def invite(self, email: str | None = None, org: CreateOrganization | None = None,
               token: str = TOKEN, **extra: Any) -> CreateInvitation:
        org = org or self.org
        cmd = CreateInvitation(org_id=org.org_id, invitation_id=uuid4(),
                               email=email or fresh_email(), token=token, public_url=URL,
                               invited_by=org.admin_user_id, **extra)
        self.when(create_invitation, cmd)
        return cmd

    def accept(self, invitation: CreateInvitation, token: str = TOKEN) -> User:
        result: User = self.when(accept_invitation, AcceptInvitation(
            invitation_id=invitation.invitation_id, token=token, user_id=uuid4(),
            password_hash="argon2$invitee", first_name="Ada", last_name="Lovelace"))
        return result

    def invitation(self, invitation_id: UUID) -> Invitation:
        return self.load(Invitation, invitation_id)

    def mails(self) -> list[tuple[Any, ...]]:
        return [w.params for w in self.store.side_writes if w.sql == OUTBOX_SQL]


@pytest.fixture
def world() -> World:
    return World()


def test_creating_keeps_the_token_hash_beside_and_mails_the_link(world: World) -> None:
    cmd = world.invite(email="Ada@Invitee.TEST")
    assert [w.params for w in world.store.side_writes if w.sql == TOKEN_SQL] == [
        (cmd.invitation_id, world.org.org_id, token_digest(TOKEN))]
    [(org_id, to, subject, body, kind)] = world.mails()
    assert (org_id, to, kind) == (world.org.org_id, "ada@invitee.test", "invitation")
    assert "Acme" in subject
    assert f"{URL}/accept-invitation?token={TOKEN}" in body
    assert world.org.admin_email in body and "member" in body
    assert not world.events_mention(TOKEN)
    assert not world.events_mention(token_digest(TOKEN))
    assert TOKEN not in repr(cmd)


def test_an_email_that_a_user_of_any_organization_has_cannot_be_invited(world: World) -> None:
    other = world.new_org()
    before = len(world.store.log)
    for email in (other.admin_email, world.org.admin_email.upper()):
        with pytest.raises(EmailTakenError):
            world.invite(email=email)
    assert len(world.store.log) == before and world.mails() == []


def test_one_pending_invitation_per_email_and_organization(world: World) -> None:
    email = fresh_email()
    first = world.invite(email=email)
    with pytest.raises(InvitationPendingError):
        world.invite(email=email.upper())
    world.invite(email=email, org=world.new_org())  # another organization may invite it too
    world.when(revoke_invitation, RevokeInvitation(org_id=world.org.org_id,
                                                   invitation_id=first.invitation_id))
    world.invite(email=email)  # once revoked, a new one may be made


def test_an_expired_invitation_does_not_block_a_new_one(world: World) -> None:
    email = fresh_email()
    world.invite(email=email, valid_for=timedelta(milliseconds=1))
    time.sleep(0.01)
    world.invite(email=email)


def test_accepting_registers_the_invitee_in_the_inviting_organization_at_once(
    world: World,
) -> None:
    cmd = world.invite(email="Ada@Invitee.TEST", role="admin")
    position = len(world.store.log)
    user = world.accept(cmd)
    assert (user.org_id, user.email, user.role) == (world.org.org_id, "ada@invitee.test", "admin")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    topics = sorted(r.topic for r in world.store.log[position:])
    assert topics == ["claims.KeyClaimed", "identity.InvitationAccepted",
                      "identity.OrganizationMemberJoined", "identity.UserRegistered"]
    assert world.store.side_writes[-1].sql == PASSWORD_SQL
    assert world.store.side_writes[-1].params == (user.id, "argon2$invitee")
    org = Organization.rebuild(world.org.org_id, world.store.load(world.org.org_id))
    assert org.members[user.id] == "admin"
    assert world.invitation(cmd.invitation_id).status(datetime.now(UTC)) == "accepted"
    with pytest.raises(GoneError, match="already used"):
        world.accept(cmd)


def test_accepting_an_email_registered_meanwhile_changes_nothing(world: World) -> None:
    cmd = world.invite()
    world.when(register_user, RegisterUser(
        org_id=world.new_org().org_id, user_id=uuid4(), email=cmd.email,
        password_hash="argon2$x"))
    position = len(world.store.log)
    with pytest.raises(EmailTakenError):
        world.accept(cmd)
    assert len(world.store.log) == position
    assert world.invitation(cmd.invitation_id).state == "pending"


def test_resending_mails_a_fresh_link_and_the_old_token_stops_working(world: World) -> None:
    cmd = world.invite()
    world.when(resend_invitation, ResendInvitation(
        org_id=world.org.org_id, invitation_id=cmd.invitation_id, token=OTHER_TOKEN,
        public_url=URL))
    assert world.store.side_writes[-3].params == (
        cmd.invitation_id, world.org.org_id, token_digest(OTHER_TOKEN))
    assert f"token={OTHER_TOKEN}" in world.mails()[-1][3]
    with pytest.raises(NotFoundError):
        world.accept(cmd, token=TOKEN)
    world.accept(cmd, token=OTHER_TOKEN)
    with pytest.raises(InvitationClosedError):
        world.when(resend_invitation, ResendInvitation(
            org_id=world.org.org_id, invitation_id=cmd.invitation_id, token=TOKEN,
            public_url=URL))


def test_another_organizations_invitation_is_not_found(world: World) -> None:
    theirs = world.invite(org=world.new_org())
    for handler, cmd in [
        (revoke_invitation, RevokeInvitation(org_id=world.org.org_id,
                                             invitation_id=theirs.invitation_id)),
        (resend_invitation, ResendInvitation(org_id=world.org.org_id,
                                             invitation_id=theirs.invitation_id,
                                             token=OTHER_TOKEN, public_url=URL)),
        (revoke_invitation, RevokeInvitation(org_id=world.org.org_id, invitation_id=uuid4())),
    ]:
        with pytest.raises(NotFoundError, match="invitation not found"):
            world.when(handler, cmd)
    assert world.invitation(theirs.invitation_id).state == "pending"
    with pytest.raises(NotFoundError):
        world.accept(CreateInvitation(org_id=world.org.org_id, invitation_id=uuid4(),
                                      email=fresh_email(), token=TOKEN, public_url=URL))


def test_a_user_made_by_an_admin_is_mailed_a_welcome_without_a_password(world: World) -> None:
    user_id = uuid4()
    world.when(register_user, RegisterUser(
        org_id=world.org.org_id, user_id=user_id, email="Bob@Acme.TEST",
        password_hash="argon2$bob-secret", public_url=URL))
    [(org_id, to, subject, body, kind)] = world.mails()
    assert (org_id, to, kind) == (world.org.org_id, "bob@acme.test", "welcome")
    assert "Acme" in subject and f"{URL}/login" in body and "bob@acme.test" in body
    assert "argon2$bob-secret" not in body

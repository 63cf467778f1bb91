"""Identity commands for invitations: create, resend, revoke (admin), accept (the invitee).

The raw token travels in the command only to be mailed: the handler writes its SHA-256 to
`invitation_tokens` beside the events and queues the e-mail in the same transaction.
"""

import dataclasses
from datetime import datetime, timedelta
from uuid import UUID

from commands.identity.mails import invitation_mail, link
from commands.identity.organization import EMAIL_TAKEN, email_claim_id, register_member
from commands.mail import queue_mail
from commands.unit_of_work import UnitOfWork
from domain.claims import UniqueClaim, claim_id
from domain.errors import NotFoundError
from domain.events import utcnow
from domain.identity.errors import EmailTakenError, InvitationPendingError
from domain.identity.invitation import LIFETIME, NOT_FOUND, Invitation, token_digest
from domain.identity.organization import Organization
from domain.identity.user import User, normalize_email
from projections.identity.invitation_queries import invitation_token_write

PENDING_EXISTS = "this e-mail already has a pending invitation; resend it instead"
MAIL_KIND = "invitation"


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateInvitation:
    """`token`: the secret of the link (mailed, never stored); `public_url`: the links' base."""

    org_id: UUID
    invitation_id: UUID
    email: str
    token: str = dataclasses.field(repr=False)
    public_url: str
    role: str = "member"
    invited_by: UUID | None = None
    valid_for: timedelta = LIFETIME


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResendInvitation:
    org_id: UUID
    invitation_id: UUID
    token: str = dataclasses.field(repr=False)
    public_url: str
    valid_for: timedelta = LIFETIME


@dataclasses.dataclass(frozen=True, kw_only=True)
class RevokeInvitation:
    org_id: UUID
    invitation_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class AcceptInvitation:
    """The invitee's answer: the link's token, their password (hashed) and names."""

    invitation_id: UUID
    token: str = dataclasses.field(repr=False)
    user_id: UUID
    password_hash: str = dataclasses.field(repr=False)
    first_name: str | None = None
    last_name: str | None = None


def create_invitation(uow: UnitOfWork, cmd: CreateInvitation) -> Invitation:
    """Invite an e-mail that no user has (in any organization) and no pending invitation of
    this organization has (ConflictError); store the token's hash and mail the link."""
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    email = normalize_email(cmd.email)
    check_email_is_free(uow, email)
    now = utcnow()
    _claim_for(uow, org.id, email, cmd.invitation_id, now)
    invitation = uow.get(Invitation, cmd.invitation_id)
    invitation.create(org_id=org.id, email=email, role=cmd.role, invited_by=cmd.invited_by,
                      token=cmd.token, now=now, valid_for=cmd.valid_for)
    _store_token_and_mail(uow, org, invitation, cmd.token, cmd.public_url)
    return invitation


def resend_invitation(uow: UnitOfWork, cmd: ResendInvitation) -> Invitation:
    """A fresh token and expiry for a pending (or expired) invitation; the old link dies."""
    invitation = load_invitation(uow, cmd.org_id, cmd.invitation_id)
    invitation.check_not_closed("resent")  # before the e-mail check: an accepted one owns it
    check_email_is_free(uow, invitation.email)
    invitation.resend(token=cmd.token, now=utcnow(), valid_for=cmd.valid_for)
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    _store_token_and_mail(uow, org, invitation, cmd.token, cmd.public_url)
    return invitation


def revoke_invitation(uow: UnitOfWork, cmd: RevokeInvitation) -> Invitation:
    """Close a pending invitation so its link no longer works (again: nothing happens)."""
    invitation = load_invitation(uow, cmd.org_id, cmd.invitation_id)
    invitation.revoke()
    return invitation


def accept_invitation(uow: UnitOfWork, cmd: AcceptInvitation) -> User:
    """Register the invitee in the inviting organization with the invited e-mail and role,
    and close the invitation, in one append. GoneError for a used, revoked or expired one."""
    invitation = uow.get(Invitation, cmd.invitation_id)
    if not invitation.exists:
        raise NotFoundError(NOT_FOUND)
    invitation.accept(token=cmd.token, user_id=cmd.user_id, now=utcnow())
    assert invitation.org_id is not None
    org = uow.get_existing(Organization, invitation.org_id, "organization")
    return register_member(
        uow, org, user_id=cmd.user_id, email=invitation.email, password_hash=cmd.password_hash,
        role=invitation.role, first_name=cmd.first_name, last_name=cmd.last_name,
    )


def load_invitation(uow: UnitOfWork, org_id: UUID, invitation_id: UUID) -> Invitation:
    """The invitation of this organization; NotFoundError also when it is another's."""
    invitation = uow.get(Invitation, invitation_id)
    if not invitation.exists or invitation.org_id != org_id:
        raise NotFoundError(NOT_FOUND)
    return invitation


def check_email_is_free(uow: UnitOfWork, email: str) -> None:
    if uow.get(UniqueClaim, email_claim_id(email)).owner_id is not None:
        raise EmailTakenError(EMAIL_TAKEN)


def invitation_claim_id(org_id: UUID, email: str) -> UUID:
    """The claim that makes one pending invitation per e-mail and organization."""
    return claim_id("invitation", f"{org_id}:{email}")


def _claim_for(
    uow: UnitOfWork, org_id: UUID, email: str, invitation_id: UUID, now: datetime,
) -> None:
    claim = uow.get(UniqueClaim, invitation_claim_id(org_id, email))
    holder = claim.owner_id
    if holder is not None and holder != invitation_id:
        if uow.get(Invitation, holder).is_pending(now):
            raise InvitationPendingError(PENDING_EXISTS)
        claim.release(org_id, "invitation", holder)  # the earlier one is closed or expired
    claim.claim(org_id, "invitation", invitation_id, InvitationPendingError(PENDING_EXISTS))


def _store_token_and_mail(
    uow: UnitOfWork, org: Organization, invitation: Invitation, token: str, public_url: str,
) -> None:
    uow.write_beside(invitation_token_write(invitation.id, org.id, token_digest(token)))
    inviter = uow.get(User, invitation.invited_by) if invitation.invited_by else None
    assert invitation.expires_at is not None
    text = invitation_mail(
        org_name=org.name, role=invitation.role,
        inviter=inviter.email if inviter is not None and inviter.org_id == org.id else None,
        accept_url=link(public_url, f"/accept-invitation?token={token}"),
        expires_at=invitation.expires_at,
    )
    queue_mail(uow, org_id=org.id, to=invitation.email, subject=text.subject, body=text.body,
               kind=MAIL_KIND)

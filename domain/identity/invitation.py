"""An invitation to join an organization: pending for a while, then accepted, revoked or expired.

The invitee proves who they are with a random token sent only by e-mail. Its SHA-256 is kept
beside the events (to find the invitation from a link); the events carry only a fingerprint,
which is enough for the aggregate to refuse a token that a resend replaced.
"""

import hashlib
import hmac
from datetime import datetime, timedelta
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import AlreadyExistsError, GoneError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.identity.errors import InvitationClosedError
from domain.identity.events import (
    InvitationAccepted,
    InvitationCreated,
    InvitationResent,
    InvitationRevoked,
)
from domain.identity.user import check_role, normalize_email

LIFETIME = timedelta(days=7)
MAX_LIFETIME = timedelta(days=30)
FINGERPRINT_LENGTH = 8
MIN_TOKEN_LENGTH = 32
PENDING, ACCEPTED, REVOKED, EXPIRED = "pending", "accepted", "revoked", "expired"
NOT_FOUND = "invitation not found"


def token_digest(token: str) -> str:
    """The SHA-256 hex of a token: what is stored, and looked up, instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_fingerprint(token: str) -> str:
    return token_digest(token)[:FINGERPRINT_LENGTH]


class Invitation(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.email = ""
        self.role = "member"
        self.invited_by: UUID | None = None
        self.token_fingerprint = ""
        self.expires_at: datetime | None = None
        self.state = PENDING  # pending, accepted or revoked; expiry is a matter of time
        self.user_id: UUID | None = None

    def create(
        self, *, org_id: UUID, email: str, role: str, invited_by: UUID | None, token: str,
        now: datetime, valid_for: timedelta = LIFETIME,
    ) -> None:
        if self.exists:
            raise AlreadyExistsError("invitation already exists")
        self._record(InvitationCreated(
            org_id=org_id, email=normalize_email(email), role=check_role(role),
            invited_by=invited_by, token_fingerprint=token_fingerprint(self.check_token(token)),
            expires_at=now + self.check_lifetime(valid_for), occurred_at=now,
        ))

    def resend(self, *, token: str, now: datetime, valid_for: timedelta = LIFETIME) -> None:
        """A fresh token and expiry; an expired invitation may be resent, a closed one not."""
        self.check_not_closed("resent")
        self._record(InvitationResent(
            org_id=self._org_id, token_fingerprint=token_fingerprint(self.check_token(token)),
            expires_at=now + self.check_lifetime(valid_for), occurred_at=now,
        ))

    def revoke(self) -> None:
        if self.state == REVOKED:
            return
        self.check_not_closed("revoked")
        self._record(InvitationRevoked(org_id=self._org_id))

    def accept(self, *, token: str, user_id: UUID, now: datetime) -> None:
        """The token's owner joins as `user_id`; a stale, used, revoked or expired link is refused."""
        if not hmac.compare_digest(token_fingerprint(token), self.token_fingerprint):
            raise NotFoundError(NOT_FOUND)
        if self.state == ACCEPTED:
            raise GoneError("this invitation was already used; sign in instead")
        if self.state == REVOKED:
            raise GoneError("this invitation was revoked; ask an admin for a new one")
        if self.status(now) == EXPIRED:
            raise GoneError("this invitation has expired; ask an admin to resend it")
        self._record(InvitationAccepted(org_id=self._org_id, user_id=user_id, occurred_at=now))

    def status(self, now: datetime) -> str:
        """pending, accepted, revoked, or expired (pending past its expiry)."""
        if self.state == PENDING and self.expires_at is not None and now >= self.expires_at:
            return EXPIRED
        return self.state

    def is_pending(self, now: datetime) -> bool:
        return self.exists and self.status(now) == PENDING

    def check_not_closed(self, verb: str) -> None:
        if self.state == ACCEPTED:
            raise InvitationClosedError(f"this invitation was already accepted and cannot be {verb}")
        if self.state == REVOKED:
            raise InvitationClosedError(f"this invitation was revoked and cannot be {verb}")

    @staticmethod
    def check_token(token: str) -> str:
        if len(token) < MIN_TOKEN_LENGTH:
            raise InvalidCommandError(f"an invitation token needs at least {MIN_TOKEN_LENGTH} characters")
        return token

    @staticmethod
    def check_lifetime(valid_for: timedelta) -> timedelta:
        if not timedelta(0) < valid_for <= MAX_LIFETIME:
            raise InvalidCommandError(f"an invitation is valid for at most {MAX_LIFETIME.days} days")
        return valid_for

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the invitation was never created"
        return self.org_id

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case InvitationCreated():
                self.org_id = event.org_id
                self.email = event.email
                self.role = event.role
                self.invited_by = event.invited_by
                self.token_fingerprint = event.token_fingerprint
                self.expires_at = event.expires_at
            case InvitationResent():
                self.token_fingerprint = event.token_fingerprint
                self.expires_at = event.expires_at
            case InvitationRevoked():
                self.state = REVOKED
            case InvitationAccepted(user_id=user_id):
                self.state = ACCEPTED
                self.user_id = user_id
            case _:
                pass

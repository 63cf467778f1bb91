"""What happens to organizations, users, API keys and invitations. No password, hash or raw
key or token here."""

import dataclasses
from datetime import datetime
from uuid import UUID

from domain.events import DomainEvent

# --- organization -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationCreated(DomainEvent):
    context = "identity"
    name: str
    slug: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationDetailsChanged(DomainEvent):
    """The full new details; None is an empty field."""

    context = "identity"
    name: str
    settings: dict[str, object]
    address: str | None
    phone_number: str | None
    tax_id: str | None
    billing_email: str | None
    enforce_2fa: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationMemberJoined(DomainEvent):
    """A user became (again) an active member: registered or reactivated."""

    context = "identity"
    user_id: UUID
    role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationMemberRoleChanged(DomainEvent):
    context = "identity"
    user_id: UUID
    role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationMemberLeft(DomainEvent):
    """An active member was deactivated."""

    context = "identity"
    user_id: UUID


# --- user -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    context = "identity"
    email: str
    first_name: str | None
    last_name: str | None
    phone_number: str | None
    role: str
    is_super_admin: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserProfileChanged(DomainEvent):
    """The full new profile; None is an empty field."""

    context = "identity"
    first_name: str | None
    last_name: str | None
    phone_number: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserEmailChanged(DomainEvent):
    context = "identity"
    old_email: str
    new_email: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRoleChanged(DomainEvent):
    context = "identity"
    role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserPasswordChanged(DomainEvent):
    """Only the fact: the new hash is written beside the event, never in it."""

    context = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserDeactivated(DomainEvent):
    context = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserReactivated(DomainEvent):
    context = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserApiKeyIssued(DomainEvent):
    """The user made an API key of the organization: deactivating the user revokes it."""

    context = "identity"
    key_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserLoggedIn(DomainEvent):
    context = "identity"


# --- API key ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(DomainEvent):
    """`prefix` is the public start of the key; `fingerprint` a short id of its hash."""

    context = "identity"
    name: str
    prefix: str
    fingerprint: str
    created_by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiKeyDeactivated(DomainEvent):
    """`reason`: None when an admin stopped the key, `CREATOR_DEACTIVATED` when its creator
    was deactivated."""

    context = "identity"
    reason: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiKeyDeleted(DomainEvent):
    context = "identity"


# --- two-factor authentication: facts only, never a secret, a code or a hash of one --------


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorSetupStarted(DomainEvent):
    """A user began setting up `method` ("totp" or "email"); nothing changes until confirmed."""

    context = "identity"
    method: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorEmailCodeSent(DomainEvent):
    """A one-time code was e-mailed to the user, to sign in, confirm a setup or disable 2FA."""

    context = "identity"
    purpose: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorEnabled(DomainEvent):
    """2FA is on; a new set of backup codes (`backup_codes_generation`) replaced the old one."""

    context = "identity"
    method: str
    backup_codes_generation: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorDisabled(DomainEvent):
    """The user turned 2FA off with a valid code; its secret and backup codes are gone."""

    context = "identity"
    method: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorSuspended(DomainEvent):
    """An admin suspended the check at sign-in; the secret is kept for re-enabling."""

    context = "identity"
    method: str
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactorReset(DomainEvent):
    """An admin removed the user's 2FA entirely (secret and backup codes dropped)."""

    context = "identity"
    by: UUID | None


# --- organization AI keys (BYOK) --------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationAiKeysChanged(DomainEvent):
    """The providers the organization now has its own key for, each with the key's keyed
    fingerprint (the sealed key is kept in `secrets`, never here)."""

    context = "identity"
    fingerprints: dict[str, str]


# --- invitation -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationCreated(DomainEvent):
    """`token_fingerprint`: the start of the token's SHA-256 (the hash is kept beside)."""

    context = "identity"
    email: str
    role: str
    invited_by: UUID | None
    token_fingerprint: str
    expires_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationResent(DomainEvent):
    """A fresh token replaced the old one, with a new expiry."""

    context = "identity"
    token_fingerprint: str
    expires_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationRevoked(DomainEvent):
    context = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationAccepted(DomainEvent):
    """The invitee became the user `user_id` of the organization."""

    context = "identity"
    user_id: UUID

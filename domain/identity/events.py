"""What happens to organizations, users, API keys and invitations. No password, hash or raw
key or token here."""

from datetime import datetime
from uuid import UUID

from domain.events import DomainEvent


class IdentityEvent(DomainEvent):
    """The base of every identity event: its topic in the log is `identity.<ClassName>`."""

    context = "identity"

# --- organization -----------------------------------------------------------------------


class OrganizationCreated(IdentityEvent):
    name: str
    slug: str


class OrganizationDetailsChanged(IdentityEvent):
    """The full new details; None is an empty field."""

    name: str
    settings: dict[str, object]
    address: str | None
    phone_number: str | None
    tax_id: str | None
    billing_email: str | None
    enforce_2fa: bool


class OrganizationMemberJoined(IdentityEvent):
    """A user became (again) an active member: registered or reactivated."""

    user_id: UUID
    role: str


class OrganizationMemberRoleChanged(IdentityEvent):
    user_id: UUID
    role: str


class OrganizationMemberLeft(IdentityEvent):
    """An active member was deactivated."""

    user_id: UUID


# --- user -------------------------------------------------------------------------------


class UserRegistered(IdentityEvent):
    email: str
    first_name: str | None
    last_name: str | None
    phone_number: str | None
    role: str
    is_super_admin: bool


class UserProfileChanged(IdentityEvent):
    """The full new profile; None is an empty field."""

    first_name: str | None
    last_name: str | None
    phone_number: str | None


class UserEmailChanged(IdentityEvent):
    old_email: str
    new_email: str


class UserRoleChanged(IdentityEvent):
    role: str


class UserPasswordChanged(IdentityEvent):
    """Only the fact: the new hash is written beside the event, never in it."""


class UserDeactivated(IdentityEvent):
    """The user can no longer sign in."""


class UserReactivated(IdentityEvent):
    """A deactivated user can sign in again."""


class UserApiKeyIssued(IdentityEvent):
    """The user made an API key of the organization: deactivating the user revokes it."""

    key_id: UUID


class UserLoggedIn(IdentityEvent):
    """The user signed in (its time is the last login)."""


# --- API key ----------------------------------------------------------------------------


class ApiKeyCreated(IdentityEvent):
    """`prefix` is the public start of the key; `fingerprint` a short id of its hash."""

    name: str
    prefix: str
    fingerprint: str
    created_by: UUID | None
    scope: str = "all"
    """"all", or the space-separated scopes of `SCOPES` in `api_key` the key is limited to."""


class ApiKeyDeactivated(IdentityEvent):
    """`reason`: None when an admin stopped the key, `CREATOR_DEACTIVATED` when its creator
    was deactivated."""

    reason: str | None = None


class ApiKeyDeleted(IdentityEvent):
    """The key is gone for good."""


# --- two-factor authentication: facts only, never a secret, a code or a hash of one --------


class TwoFactorSetupStarted(IdentityEvent):
    """A user began setting up `method` ("totp" or "email"); nothing changes until confirmed."""

    method: str


class TwoFactorEmailCodeSent(IdentityEvent):
    """A one-time code was e-mailed to the user, to sign in, confirm a setup or disable 2FA."""

    purpose: str


class TwoFactorEnabled(IdentityEvent):
    """2FA is on; a new set of backup codes (`backup_codes_generation`) replaced the old one."""

    method: str
    backup_codes_generation: int


class TwoFactorDisabled(IdentityEvent):
    """The user turned 2FA off with a valid code; its secret and backup codes are gone."""

    method: str


class TwoFactorSuspended(IdentityEvent):
    """An admin suspended the check at sign-in; the secret is kept for re-enabling."""

    method: str
    by: UUID | None


class TwoFactorReset(IdentityEvent):
    """An admin removed the user's 2FA entirely (secret and backup codes dropped)."""

    by: UUID | None


# --- organization AI keys (BYOK) --------------------------------------------------------


class OrganizationAiKeysChanged(IdentityEvent):
    """The providers the organization now has its own key for, each with the key's keyed
    fingerprint (the sealed key is kept in `secrets`, never here)."""

    fingerprints: dict[str, str]


# --- invitation -------------------------------------------------------------------------


class InvitationCreated(IdentityEvent):
    """`token_fingerprint`: the start of the token's SHA-256 (the hash is kept beside)."""

    email: str
    role: str
    invited_by: UUID | None
    token_fingerprint: str
    expires_at: datetime


class InvitationResent(IdentityEvent):
    """A fresh token replaced the old one, with a new expiry."""

    token_fingerprint: str
    expires_at: datetime


class InvitationRevoked(IdentityEvent):
    """The invitation can no longer be accepted."""


class InvitationAccepted(IdentityEvent):
    """The invitee became the user `user_id` of the organization."""

    user_id: UUID

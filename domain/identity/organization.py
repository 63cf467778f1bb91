"""A tenant: its details, and who its active members and admins are."""

from datetime import datetime
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import AlreadyExistsError, InvalidCommandError
from domain.events import DomainEvent
from domain.identity.errors import LastAdminError
from domain.identity.events import (
    OrganizationAiKeysChanged,
    OrganizationCreated,
    OrganizationDetailsChanged,
    OrganizationMemberJoined,
    OrganizationMemberLeft,
    OrganizationMemberRoleChanged,
)
from domain.identity.user import check_role, normalize_email, optional_text

MAX_NAME_LENGTH = 200
MAX_ADDRESS_LENGTH = 500
MAX_SHORT_FIELD_LENGTH = 50
LAST_ADMIN_MESSAGE = "an organization needs at least one active admin"
AI_KEY_PROVIDERS = ("anthropic", "openai", "deepseek", "google")
"""Providers an organization may bring its own key for (BYOK)."""


def check_organization_name(name: str) -> str:
    text = name.strip()
    if not text:
        raise InvalidCommandError("name must not be empty")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be at most {MAX_NAME_LENGTH} characters")
    return text


class Organization(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.name = ""
        self.slug = ""
        self.settings: dict[str, object] = {}
        self.address: str | None = None
        self.phone_number: str | None = None
        self.tax_id: str | None = None
        self.billing_email: str | None = None
        self.enforce_2fa = False
        self.created_at: datetime | None = None
        self.members: dict[UUID, str] = {}  # active members and their roles
        self.admin_ids: set[UUID] = set()  # active admins
        self.ai_key_fingerprints: dict[str, str] = {}  # provider -> fingerprint of its key

    def create(self, *, name: str, slug: str) -> None:
        if self.exists:
            raise AlreadyExistsError("organization already exists")
        self._record(OrganizationCreated(
            org_id=self.id, name=check_organization_name(name), slug=slug,
        ))

    def change_details(
        self, *, name: str | None = None, settings: dict[str, object] | None = None,
        address: str | None = None, phone_number: str | None = None, tax_id: str | None = None,
        billing_email: str | None = None, enforce_2fa: bool | None = None,
    ) -> None:
        """None keeps a field; an empty string clears an optional one."""
        changed = OrganizationDetailsChanged(
            org_id=self.id,
            name=self.name if name is None else check_organization_name(name),
            settings=dict(self.settings if settings is None else settings),
            address=self._keep(address, self.address, "address", MAX_ADDRESS_LENGTH),
            phone_number=self._keep(
                phone_number, self.phone_number, "phone_number", MAX_SHORT_FIELD_LENGTH),
            tax_id=self._keep(tax_id, self.tax_id, "tax_id", MAX_SHORT_FIELD_LENGTH),
            billing_email=self._billing_email(billing_email),
            enforce_2fa=self.enforce_2fa if enforce_2fa is None else enforce_2fa,
        )
        current = (self.name, self.settings, self.address, self.phone_number, self.tax_id,
                   self.billing_email, self.enforce_2fa)
        new = (changed.name, changed.settings, changed.address, changed.phone_number,
               changed.tax_id, changed.billing_email, changed.enforce_2fa)
        if new != current:
            self._record(changed)

    def admit_member(self, user_id: UUID, role: str) -> None:
        if user_id not in self.members:
            self._record(OrganizationMemberJoined(
                org_id=self.id, user_id=user_id, role=check_role(role),
            ))

    def change_member_role(self, user_id: UUID, role: str) -> None:
        current = self.members.get(user_id)
        if current is None or current == check_role(role):
            return
        if current == "admin":
            self.check_keeps_an_active_admin(user_id)
        self._record(OrganizationMemberRoleChanged(org_id=self.id, user_id=user_id, role=role))

    def remove_member(self, user_id: UUID) -> None:
        if user_id in self.members:
            self.check_keeps_an_active_admin(user_id)
            self._record(OrganizationMemberLeft(org_id=self.id, user_id=user_id))

    def change_ai_keys(self, changes: dict[str, str | None]) -> bool:
        """Set (a fingerprint) or remove (None) the key of each provider named; True when
        that changed anything (only then is the new set recorded)."""
        for provider in changes:
            if provider not in AI_KEY_PROVIDERS:
                raise InvalidCommandError(f"unknown AI provider {provider!r}: expected one of"
                                          f" {', '.join(AI_KEY_PROVIDERS)}")
        new = {**self.ai_key_fingerprints, **changes}
        fingerprints = {p: f for p, f in sorted(new.items()) if f}
        if fingerprints == self.ai_key_fingerprints:
            return False
        self._record(OrganizationAiKeysChanged(org_id=self.id, fingerprints=fingerprints))
        return True

    def check_keeps_an_active_admin(self, leaving_id: UUID) -> None:
        if self.admin_ids == {leaving_id}:
            raise LastAdminError(LAST_ADMIN_MESSAGE)

    def _billing_email(self, value: str | None) -> str | None:
        if value is None:
            return self.billing_email
        if not value.strip():
            return None
        return normalize_email(value, "billing_email")

    @staticmethod
    def _keep(value: str | None, current: str | None, field: str, max_length: int) -> str | None:
        return current if value is None else optional_text(value, field, max_length)

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case OrganizationCreated():
                self.name = event.name
                self.slug = event.slug
                self.created_at = event.occurred_at
            case OrganizationDetailsChanged():
                self.name = event.name
                self.settings = dict(event.settings)
                self.address = event.address
                self.phone_number = event.phone_number
                self.tax_id = event.tax_id
                self.billing_email = event.billing_email
                self.enforce_2fa = event.enforce_2fa
            case OrganizationMemberJoined(user_id=user_id, role=role):
                self.members[user_id] = role
            case OrganizationMemberRoleChanged(user_id=user_id, role=role):
                if user_id in self.members:
                    self.members[user_id] = role
            case OrganizationMemberLeft(user_id=user_id):
                self.members.pop(user_id, None)
            case OrganizationAiKeysChanged(fingerprints=fingerprints):
                self.ai_key_fingerprints = dict(fingerprints)
            case _:
                pass
        self.admin_ids = {uid for uid, role in self.members.items() if role == "admin"}


PURPOSE_PREFIX = "llm:"
"""The `secrets.purpose` prefix of an organization's AI provider keys."""


def key_purpose(provider: str) -> str:
    """The `secrets.purpose` of an organization's key for `provider`."""
    return PURPOSE_PREFIX + provider

"""A key a program signs in with on behalf of an organization. Only its hash is kept, beside.

A key belongs to the organization, but acts with at most its creator's current role (checked
when it authenticates), and deactivating its creator deactivates it. Its scope is every route
the role opens (`all`), or a space-separated list of `<area>:read` and `<area>:write` (write
includes read), or `index` — the page index's routes only, as `index:write` — as keys made
before the areas had."""

from datetime import datetime
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import AlreadyExistsError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.identity.events import ApiKeyCreated, ApiKeyDeactivated, ApiKeyDeleted

MAX_NAME_LENGTH = 100
PREFIX_LENGTH = 12
FINGERPRINT_LENGTH = 8
CREATOR_DEACTIVATED = "creator deactivated"
ALL = "all"
INDEX = "index"
AREAS = ("catalog", "generation", "jobs", "billing", "organization", "search", "index", "pages",
         "stores", "blog")
"""The parts of the API a key may be limited to (each route belongs to one)."""
ACCESS = ("read", "write")
SCOPES = (ALL, INDEX, *(f"{area}:{access}" for area in AREAS for access in ACCESS))


def fingerprint(key_hash: str) -> str:
    """A short public id of a key: the start of its SHA-256 hex, which reveals nothing."""
    return key_hash[:FINGERPRINT_LENGTH]


class ApiKey(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.name = ""
        self.prefix = ""
        self.fingerprint = ""
        self.created_by: UUID | None = None
        self.created_at: datetime | None = None
        self.scope = ALL
        self.is_active = False
        self.is_deleted = False

    def create(
        self, *, org_id: UUID, name: str, prefix: str, key_hash: str, created_by: UUID | None,
        scope: str = ALL,
    ) -> None:
        if self.exists:
            raise AlreadyExistsError("api key already exists")
        self._record(ApiKeyCreated(
            org_id=org_id, name=self.check_name(name), prefix=self.check_prefix(prefix),
            fingerprint=fingerprint(self.check_hash(key_hash)), created_by=created_by,
            scope=self.check_scope(scope),
        ))

    def deactivate(self) -> None:
        self.check_not_deleted()
        if self.is_active:
            self._record(ApiKeyDeactivated(org_id=self._org_id))

    def revoke_for_deactivated_creator(self) -> None:
        """Its creator was deactivated: stop it (a deleted or stopped key stays as it is)."""
        if self.is_active and not self.is_deleted:
            self._record(ApiKeyDeactivated(org_id=self._org_id, reason=CREATOR_DEACTIVATED))

    def delete(self) -> None:
        self.check_not_deleted()
        self._record(ApiKeyDeleted(org_id=self._org_id))

    def check_not_deleted(self) -> None:
        if self.is_deleted:
            raise NotFoundError("api key not found")

    @staticmethod
    def check_name(name: str) -> str:
        text = name.strip()
        if not 1 <= len(text) <= MAX_NAME_LENGTH:
            raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
        return text

    @staticmethod
    def check_scope(scope: str) -> str:
        """The scope, its parts in a stable order; `all` stands alone."""
        parts = scope.split()
        unknown = [part for part in parts if part not in SCOPES]
        if unknown or not parts:
            raise InvalidCommandError(
                f"unknown scope {' '.join(unknown) or '(none)'!r}: scopes are all, or"
                f" <area>:read / <area>:write for the areas {', '.join(AREAS)}")
        if ALL in parts and len(parts) > 1:
            raise InvalidCommandError("the scope all is given alone")
        return " ".join(sorted(set(parts), key=SCOPES.index))

    @staticmethod
    def check_prefix(prefix: str) -> str:
        if not 1 <= len(prefix) <= PREFIX_LENGTH:
            raise InvalidCommandError(f"prefix must be 1 to {PREFIX_LENGTH} characters")
        return prefix

    @staticmethod
    def check_hash(key_hash: str) -> str:
        if len(key_hash) != 64 or any(c not in "0123456789abcdef" for c in key_hash):
            raise InvalidCommandError("key_hash must be a lower-case SHA-256 hex digest")
        return key_hash

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the api key was never created"
        return self.org_id

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case ApiKeyCreated():
                self.org_id = event.org_id
                self.name = event.name
                self.prefix = event.prefix
                self.fingerprint = event.fingerprint
                self.created_by = event.created_by
                self.created_at = event.occurred_at
                self.scope = event.scope
                self.is_active = True
            case ApiKeyDeactivated():
                self.is_active = False
            case ApiKeyDeleted():
                self.is_active = False
                self.is_deleted = True
            case _:
                pass

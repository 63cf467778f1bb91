"""Identity commands for API keys: create (hash written beside), deactivate, delete."""

import dataclasses
from uuid import UUID

from commands.identity.organization import API_KEY_SQL
from commands.unit_of_work import UnitOfWork
from domain.errors import NotFoundError
from domain.identity.api_key import ApiKey
from domain.identity.organization import Organization


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateApiKey:
    """`prefix`: the first 12 characters of the raw key; `key_hash`: its SHA-256 hex."""

    org_id: UUID
    key_id: UUID
    name: str
    prefix: str
    key_hash: str
    created_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeactivateApiKey:
    org_id: UUID
    key_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteApiKey:
    org_id: UUID
    key_id: UUID


def create_api_key(uow: UnitOfWork, cmd: CreateApiKey) -> ApiKey:
    """Create a key of the acting organization; its hash goes to `credentials`, not the log."""
    uow.get_existing(Organization, cmd.org_id, "organization")
    key = uow.get(ApiKey, cmd.key_id)
    key.create(
        org_id=cmd.org_id, name=cmd.name, prefix=cmd.prefix, key_hash=cmd.key_hash,
        created_by=cmd.created_by,
    )
    uow.write_beside(API_KEY_SQL, key.id, cmd.key_hash)
    return key


def deactivate_api_key(uow: UnitOfWork, cmd: DeactivateApiKey) -> ApiKey:
    """Stop a key from authenticating; it stays listed."""
    key = load_api_key(uow, cmd.org_id, cmd.key_id)
    key.deactivate()
    return key


def delete_api_key(uow: UnitOfWork, cmd: DeleteApiKey) -> ApiKey:
    """Delete a key: it no longer authenticates nor is listed."""
    key = load_api_key(uow, cmd.org_id, cmd.key_id)
    key.delete()
    return key


def load_api_key(uow: UnitOfWork, org_id: UUID, key_id: UUID) -> ApiKey:
    """A live key of this organization; NotFoundError if deleted or another's."""
    key = uow.get_existing(ApiKey, key_id, "api key")
    if key.org_id != org_id:
        raise NotFoundError("api key not found")
    key.check_not_deleted()
    return key

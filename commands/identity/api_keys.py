"""Identity commands for API keys: create (hash written beside), deactivate, delete.

A key made by a user is noted on that user, so that deactivating the user revokes it
(`revoke_keys_of`)."""

import dataclasses
from uuid import UUID

from commands.identity.organization import load_user
from commands.unit_of_work import UnitOfWork
from domain.errors import NotFoundError
from domain.identity.api_key import ApiKey
from domain.identity.organization import Organization
from domain.identity.user import User
from projections.identity.queries import api_key_write


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateApiKey:
    """`prefix`: the first 12 characters of the raw key; `key_hash`: its SHA-256 hex;
    `created_by`: the active user of the organization who makes it; `scope`: "all" or
    "index" (the page index's routes only)."""

    org_id: UUID
    key_id: UUID
    name: str
    prefix: str
    key_hash: str
    created_by: UUID | None = None
    scope: str = "all"


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeactivateApiKey:
    org_id: UUID
    key_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteApiKey:
    org_id: UUID
    key_id: UUID


def create_api_key(uow: UnitOfWork, cmd: CreateApiKey) -> ApiKey:
    """Create a key of the acting organization; its hash goes to `credentials`, not the log.
    The creator (an active user of the organization) records that it made the key."""
    uow.get_existing(Organization, cmd.org_id, "organization")
    key = uow.get(ApiKey, cmd.key_id)
    key.create(
        org_id=cmd.org_id, name=cmd.name, prefix=cmd.prefix, key_hash=cmd.key_hash,
        created_by=cmd.created_by, scope=cmd.scope,
    )
    if cmd.created_by is not None:
        load_user(uow, cmd.org_id, cmd.created_by).issue_api_key(key.id)
    uow.write_beside(api_key_write(key.id, cmd.key_hash))
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


def revoke_keys_of(uow: UnitOfWork, user: User) -> None:
    """Deactivate every key `user` made (in the same unit of work as the user's change)."""
    for key_id in user.api_key_ids:
        uow.get_existing(ApiKey, key_id, "api key").revoke_for_deactivated_creator()


def load_api_key(uow: UnitOfWork, org_id: UUID, key_id: UUID) -> ApiKey:
    """A live key of this organization; NotFoundError if deleted or another's."""
    key = uow.get_existing(ApiKey, key_id, "api key")
    if key.org_id != org_id:
        raise NotFoundError("api key not found")
    key.check_not_deleted()
    return key

"""Blog commands on an organization's WordPress connections. The application password is
sealed by the caller and written beside the event into `secrets` (owner: the connection);
the event carries only its fingerprint."""

import dataclasses
from typing import Any
from uuid import UUID

from adapters.postgres import secrets
from commands.unit_of_work import UnitOfWork
from domain.blog.connection import BlogConnection

PASSWORD_PURPOSE = "wp_app_password"


@dataclasses.dataclass(frozen=True)
class SealedPassword:
    ciphertext: bytes = dataclasses.field(repr=False)
    fingerprint: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateConnection:
    org_id: UUID
    connection_id: UUID
    name: str
    site_url: str
    username: str
    password: SealedPassword


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeConnection:
    """`None`: leave as it is."""

    org_id: UUID
    connection_id: UUID
    name: str | None = None
    site_url: str | None = None
    username: str | None = None
    password: SealedPassword | None = None
    is_active: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class CacheCategories:
    org_id: UUID
    connection_id: UUID
    categories: tuple[dict[str, Any], ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteConnection:
    org_id: UUID
    connection_id: UUID


def create_connection(uow: UnitOfWork, cmd: CreateConnection) -> UUID:
    connection = uow.get(BlogConnection, cmd.connection_id)
    connection.create(org_id=cmd.org_id, name=cmd.name, site_url=cmd.site_url,
                      username=cmd.username, password_fingerprint=cmd.password.fingerprint)
    uow.write_beside(secrets.seal(cmd.connection_id, PASSWORD_PURPOSE, cmd.org_id,
                                  cmd.password.ciphertext, cmd.password.fingerprint))
    return cmd.connection_id


def change_connection(uow: UnitOfWork, cmd: ChangeConnection) -> None:
    """Change what is given; NotFoundError when the organization has no such connection."""
    connection = uow.get(BlogConnection, cmd.connection_id)
    before = connection.password_fingerprint
    connection.change(cmd.org_id, name=cmd.name, site_url=cmd.site_url, username=cmd.username,
                      password_fingerprint=cmd.password.fingerprint if cmd.password else None,
                      is_active=cmd.is_active)
    if cmd.password is not None and cmd.password.fingerprint != before:
        uow.write_beside(secrets.seal(cmd.connection_id, PASSWORD_PURPOSE, cmd.org_id,
                                      cmd.password.ciphertext, cmd.password.fingerprint))


def cache_categories(uow: UnitOfWork, cmd: CacheCategories) -> None:
    uow.get(BlogConnection, cmd.connection_id).cache_categories(cmd.org_id, cmd.categories)


def delete_connection(uow: UnitOfWork, cmd: DeleteConnection) -> None:
    uow.get(BlogConnection, cmd.connection_id).delete(cmd.org_id)
    uow.write_beside(secrets.drop(cmd.connection_id, PASSWORD_PURPOSE))

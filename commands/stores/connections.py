"""Store connection commands: create, change, test, delete. Credentials arrive sealed (by
the caller, with the secret box) and are written beside the event into `secrets`; the
events name only their fingerprint."""

import dataclasses
from uuid import UUID

from adapters.postgres import secrets
from adapters.stores.clients import CREDENTIALS_PURPOSE
from commands.unit_of_work import UnitOfWork
from domain.catalog.project import Project
from domain.stores.connection import StoreConnection


@dataclasses.dataclass(frozen=True)
class SealedCredentials:
    """A platform's credentials (as JSON) encrypted with the secret box, and their keyed
    fingerprint."""

    ciphertext: bytes = dataclasses.field(repr=False)
    fingerprint: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateStoreConnection:
    org_id: UUID
    connection_id: UUID
    name: str
    platform: str
    base_url: str
    credentials: SealedCredentials | None = None
    auto_sync: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeStoreConnection:
    """None keeps a field."""

    org_id: UUID
    connection_id: UUID
    name: str | None = None
    base_url: str | None = None
    status: str | None = None
    credentials: SealedCredentials | None = None
    auto_sync: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordConnectionTest:
    org_id: UUID
    connection_id: UUID
    success: bool
    message: str
    store_name: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteStoreConnection:
    org_id: UUID
    connection_id: UUID


def _seal(uow: UnitOfWork, cmd: CreateStoreConnection | ChangeStoreConnection) -> None:
    if cmd.credentials is not None:
        uow.write_beside(secrets.seal(cmd.connection_id, CREDENTIALS_PURPOSE, cmd.org_id,
                                      cmd.credentials.ciphertext, cmd.credentials.fingerprint))


def create_store_connection(uow: UnitOfWork, cmd: CreateStoreConnection) -> None:
    connection = uow.get(StoreConnection, cmd.connection_id)
    connection.create(
        org_id=cmd.org_id, name=cmd.name, platform=cmd.platform, base_url=cmd.base_url,
        credentials_fingerprint="" if cmd.credentials is None else cmd.credentials.fingerprint)
    if cmd.auto_sync:
        connection.set_auto_sync(cmd.org_id, True)
    _seal(uow, cmd)


def change_store_connection(uow: UnitOfWork, cmd: ChangeStoreConnection) -> None:
    """NotFoundError for another organization's or a deleted connection."""
    connection = uow.get(StoreConnection, cmd.connection_id)
    before = connection.credentials_fingerprint
    connection.change(cmd.org_id, name=cmd.name, base_url=cmd.base_url, status=cmd.status,
                      credentials_fingerprint=None if cmd.credentials is None
                      else cmd.credentials.fingerprint)
    if cmd.auto_sync is not None:
        connection.set_auto_sync(cmd.org_id, cmd.auto_sync)
    if cmd.credentials is not None and cmd.credentials.fingerprint != before:
        _seal(uow, cmd)


def record_connection_test(uow: UnitOfWork, cmd: RecordConnectionTest) -> None:
    uow.get(StoreConnection, cmd.connection_id).record_test(
        cmd.org_id, success=cmd.success, message=cmd.message, store_name=cmd.store_name)


def delete_store_connection(uow: UnitOfWork, cmd: DeleteStoreConnection) -> None:
    """ConnectionInUseError while a project (in the trash or not; purged ones no longer
    count) is linked to it; its sealed credentials go with it."""
    connection = uow.get(StoreConnection, cmd.connection_id)
    connection.check_is_live(cmd.org_id)
    linked = []
    for project_id in connection.projects:
        project = uow.get(Project, project_id)
        if project.exists and not project.purged and project.store_connection_id == connection.id:
            linked.append(project_id)
    connection.delete(cmd.org_id, linked=linked)
    uow.write_beside(secrets.drop(cmd.connection_id, CREDENTIALS_PURPOSE))

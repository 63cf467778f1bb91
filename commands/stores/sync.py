"""Sync commands: an attempt to write an approved item's content to the project's store is
recorded before the write (`start_item_sync`) and its outcome after (`finish_item_sync`);
success marks the item synced in the same unit of work."""

import dataclasses
from uuid import UUID

from commands.catalog.access import load_active_project, load_item
from commands.stores.imports import linked_connection
from commands.unit_of_work import UnitOfWork
from domain.catalog.errors import ItemNotApprovedError
from domain.catalog.item_status import ItemStatus
from domain.stores.sync_log import ItemSyncLog, sync_log_id

SYNCABLE = (ItemStatus.APPROVED, ItemStatus.SYNCED)


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartItemSync:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    attempt_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class FinishItemSync:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    attempt_id: UUID
    success: bool
    error: str | None = None
    store_reply_id: str | None = None


def start_item_sync(uow: UnitOfWork, cmd: StartItemSync) -> UUID:
    """Record the attempt; ItemNotApprovedError unless the item is approved (or synced,
    to write it again), InvalidCommandError when the project has no store connection.
    The connection's id."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    connection = linked_connection(uow, project)
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.check_not_excluded()
    if item.status not in SYNCABLE:
        raise ItemNotApprovedError(f"item {item.id} is {item.status}: only approved items sync")
    uow.get(ItemSyncLog, sync_log_id(cmd.item_id)).start(
        org_id=cmd.org_id, project_id=cmd.project_id, item_id=cmd.item_id,
        connection_id=connection.id, attempt_id=cmd.attempt_id)
    return connection.id


def finish_item_sync(uow: UnitOfWork, cmd: FinishItemSync) -> None:
    log = uow.get(ItemSyncLog, sync_log_id(cmd.item_id))
    if log.finish(org_id=cmd.org_id, project_id=cmd.project_id, item_id=cmd.item_id,
                  attempt_id=cmd.attempt_id, success=cmd.success, error=cmd.error,
                  store_reply_id=cmd.store_reply_id) and cmd.success:
        item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id, allow_trashed=True)
        if item.status == ItemStatus.APPROVED:
            item.mark_synced()

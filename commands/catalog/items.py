"""Catalog commands of review: approve, reject, flag, edit, set a status on many items,
exclude and restore items (a parent takes its variants along), and mark one synced."""

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from commands.catalog.access import load_item, load_items
from commands.unit_of_work import UnitOfWork
from domain.catalog.content_item import ContentItem
from domain.catalog.data_source import DataSource
from domain.catalog.ids import item_id


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApproveItem:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RejectItem:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class FlagItem:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class EditItem:
    """The reviewer's version: content fields to replace, a status, metadata to merge."""

    org_id: UUID
    project_id: UUID
    item_id: UUID
    actor_id: UUID | None = None
    content: dict[str, str] | None = None
    status: str | None = None
    metadata: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class BatchSetStatus:
    """All or nothing: one item missing or refusing the status fails the whole batch."""

    org_id: UUID
    project_id: UUID
    item_ids: Sequence[UUID]
    status: str
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ExcludeItems:
    org_id: UUID
    project_id: UUID
    item_ids: Sequence[UUID]
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RestoreItems:
    org_id: UUID
    project_id: UUID
    item_ids: Sequence[UUID]
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class MarkItemSynced:
    org_id: UUID
    project_id: UUID
    item_id: UUID


def approve_item(uow: UnitOfWork, cmd: ApproveItem) -> ContentItem:
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.approve(cmd.actor_id)
    return item


def reject_item(uow: UnitOfWork, cmd: RejectItem) -> ContentItem:
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.reject(cmd.actor_id)
    return item


def flag_item(uow: UnitOfWork, cmd: FlagItem) -> ContentItem:
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.flag(cmd.actor_id)
    return item


def edit_item(uow: UnitOfWork, cmd: EditItem) -> ContentItem:
    """Record the reviewer's content, metadata and status (the generated version is kept)."""
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.edit(content=cmd.content, status=cmd.status, metadata=cmd.metadata, by=cmd.actor_id)
    return item


def batch_set_status(uow: UnitOfWork, cmd: BatchSetStatus) -> list[UUID]:
    """Set a reviewer's status on every item; their ids, in the order given."""
    items = load_items(uow, cmd.org_id, cmd.project_id, cmd.item_ids)
    for item in items:
        item.set_status(cmd.status, cmd.actor_id)
    return [item.id for item in items]


def exclude_items(uow: UnitOfWork, cmd: ExcludeItems) -> list[UUID]:
    """Exclude the items, and the variants of each parent among them; the ids excluded now."""
    return _cascade(uow, cmd.org_id, cmd.project_id, cmd.item_ids,
                    lambda item, parent: item.exclude(cmd.actor_id, parent))


def restore_items(uow: UnitOfWork, cmd: RestoreItems) -> list[UUID]:
    """Restore excluded items, and the variants of each parent among them; the ids restored."""
    return _cascade(uow, cmd.org_id, cmd.project_id, cmd.item_ids,
                    lambda item, parent: item.restore(cmd.actor_id, parent))


def mark_item_synced(uow: UnitOfWork, cmd: MarkItemSynced) -> ContentItem:
    """An approved item's content reached the store."""
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id)
    item.mark_synced()
    return item


def _cascade(uow: UnitOfWork, org_id: UUID, project_id: UUID, item_ids: Sequence[UUID],
             change: Callable[[ContentItem, UUID | None], bool]) -> list[UUID]:
    changed: list[UUID] = []
    for item in load_items(uow, org_id, project_id, item_ids):
        if change(item, None):
            changed.append(item.id)
        if item.item_type != "parent":
            continue
        assert item.source_id is not None
        source = uow.get(DataSource, item.source_id)
        for child_external_id in source.children_of(item.external_id):
            child = load_item(uow, org_id, project_id, item_id(source.id, child_external_id))
            if change(child, item.id):
                changed.append(child.id)
    return changed

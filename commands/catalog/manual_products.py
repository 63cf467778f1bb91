"""Catalog commands on a manual source's products one at a time: add one, edit its fields,
remove it (a file or store source's products are what the file or the store says: 422)."""

import dataclasses
from typing import Any
from uuid import UUID

from commands.catalog.access import find_item, load_active_project, load_item, load_source
from commands.unit_of_work import UnitOfWork
from domain.catalog.content_item import ContentItem
from domain.catalog.data_source import DataSource
from domain.catalog.ids import item_id
from domain.catalog.records import ProductRecord
from domain.errors import NotFoundError


@dataclasses.dataclass(frozen=True, kw_only=True)
class AddProduct:
    org_id: UUID
    project_id: UUID
    source_id: UUID
    record: ProductRecord


@dataclasses.dataclass(frozen=True, kw_only=True)
class EditProduct:
    """`fields`: canonical fields, `platform_fields`: the others; None removes one."""

    org_id: UUID
    project_id: UUID
    source_id: UUID
    item_id: UUID
    fields: dict[str, Any]
    platform_fields: dict[str, Any]
    actor_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RemoveProduct:
    org_id: UUID
    project_id: UUID
    source_id: UUID
    item_id: UUID
    actor_id: UUID | None = None


def add_product(uow: UnitOfWork, cmd: AddProduct) -> ContentItem:
    """The source takes the product (409 when its id is taken), then its item is written."""
    load_active_project(uow, cmd.org_id, cmd.project_id)
    source = load_source(uow, cmd.org_id, cmd.project_id, cmd.source_id)
    source.add_product(cmd.record)
    item = find_item(uow, item_id(source.id, cmd.record.external_id))
    item.add_product(org_id=cmd.org_id, project_id=cmd.project_id, source_id=source.id,
                     record=cmd.record)
    return item


def edit_product(uow: UnitOfWork, cmd: EditProduct) -> ContentItem:
    _source, item = _manual_item(uow, cmd.org_id, cmd.project_id, cmd.source_id, cmd.item_id)
    item.edit_product(fields=cmd.fields, platform_fields=cmd.platform_fields, by=cmd.actor_id)
    return item


def remove_product(uow: UnitOfWork, cmd: RemoveProduct) -> ContentItem:
    source, item = _manual_item(uow, cmd.org_id, cmd.project_id, cmd.source_id, cmd.item_id)
    source.remove_product(item.external_id)
    item.remove_product(cmd.actor_id)
    return item


def _manual_item(uow: UnitOfWork, org_id: UUID, project_id: UUID, source_id: UUID,
                 item: UUID) -> tuple[DataSource, ContentItem]:
    """The item of a product of this manual source (NotFoundError when it is another's)."""
    source = load_source(uow, org_id, project_id, source_id)
    found = load_item(uow, org_id, project_id, item)
    if found.source_id != source.id:
        raise NotFoundError(f"item {item} not found")
    source.check_manual()
    return source, found

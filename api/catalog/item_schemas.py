"""Request and response bodies of the item routes (the specification's shapes)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from commands.catalog.access import MAX_BATCH_ITEMS
from projections.catalog.queries import ItemRow

ItemIds = Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]


class ItemOut(msgspec.Struct):
    """The specification's fields, then the item's name, SKU and parent link."""

    id: UUID
    external_id: str
    item_type: str
    source_data: dict[str, Any]
    generated_content: dict[str, str]
    confidence_score: float | None
    status: str
    ai_model_used: str | None
    created_at: datetime
    data_source_id: UUID
    data_source_name: str
    metadata: dict[str, Any]
    excluded_at: datetime | None
    name: str
    sku: str | None
    parent_id: UUID | None
    parent_external_id: str | None

    @classmethod
    def of(cls, row: ItemRow) -> "ItemOut":
        return cls(
            id=row.id, external_id=row.external_id, item_type=row.item_type,
            source_data=row.source_data, generated_content=row.generated_content,
            confidence_score=row.confidence_score, status=row.status,
            ai_model_used=row.ai_model_used, created_at=row.created_at,
            data_source_id=row.data_source_id, data_source_name=row.data_source_name,
            metadata=row.metadata, excluded_at=row.excluded_at, name=row.name, sku=row.sku,
            parent_id=row.parent_id, parent_external_id=row.parent_external_id,
        )


class BatchStatusIn(msgspec.Struct):
    item_ids: ItemIds
    status: Annotated[str, msgspec.Meta(max_length=50)]


class ItemIdsIn(msgspec.Struct):
    item_ids: ItemIds


class ItemUpdate(msgspec.Struct):
    """The reviewer's version: content fields to replace ("" clears one), a status, metadata
    keys to merge (null removes one)."""

    generated_content: dict[str, str] | None = None
    status: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    metadata: dict[str, Any] | None = None


class ItemsChangedOut(msgspec.Struct):
    """How many items changed (a parent's variants included), and which."""

    count: int
    item_ids: list[UUID]

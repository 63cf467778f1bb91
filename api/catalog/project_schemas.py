"""Request and response bodies of the project and source routes (the specification's shapes)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from domain.catalog.ids import import_job_id
from domain.catalog.project import MAX_NAME_LENGTH
from projections.catalog.queries import ProjectRow, SourceRow

Name = Annotated[str, msgspec.Meta(max_length=MAX_NAME_LENGTH * 4)]


class ProjectForm(msgspec.Struct):
    """Form body of a new project."""

    name: Name
    platform: Annotated[str, msgspec.Meta(max_length=100)]


class ProjectUpdate(msgspec.Struct):
    """None (or absent) keeps `name` and `settings`; an absent `store_connection_id` keeps
    the connection, null or "" unlinks it."""

    name: Name | None = None
    settings: dict[str, Any] | None = None
    store_connection_id: Annotated[str | msgspec.UnsetType | None, msgspec.Meta(
        description="a store connection of the organization; null or \"\" unlinks it",
    )] = msgspec.UNSET


class StatusCounts(msgspec.Struct):
    pending: int
    generated: int
    flagged: int
    approved: int
    rejected: int
    synced: int
    excluded: int


class ProjectOut(msgspec.Struct):
    id: UUID
    name: str
    platform: str
    status: str
    settings: dict[str, Any]
    created_at: datetime
    completed_at: datetime | None
    item_count: int
    flagged_count: int
    source_count: int
    deleted_at: datetime | None
    status_counts: StatusCounts
    store_connection_id: UUID | None
    store_connection_name: str | None

    @classmethod
    def of(cls, row: ProjectRow) -> "ProjectOut":
        return cls(
            id=row.id, name=row.name, platform=row.platform, status=row.status,
            settings=row.settings, created_at=row.created_at, completed_at=row.completed_at,
            item_count=row.item_count, flagged_count=row.status_counts["flagged"],
            source_count=row.source_count, deleted_at=row.deleted_at,
            status_counts=StatusCounts(**row.status_counts),
            store_connection_id=row.store_connection_id, store_connection_name=None,
        )


class TruncateOut(msgspec.Struct):
    message: str
    sources_deleted: int
    items_deleted: int


class ManualSourceForm(msgspec.Struct):
    """Form body of a manual source: its name, and optionally its products typed in, as a
    JSON array (in a form field) of objects with `name` and `external_id` or `sku`, and any
    of `item_type`, `parent_external_id`, `description`, `short_description`, `price`, …"""

    name: Name = "Manual Entry"
    items: str | list[dict[str, Any]] | None = None


class SourceOut(msgspec.Struct):
    id: UUID
    project_id: UUID
    type: str
    name: str
    config: dict[str, Any]
    status: str
    item_count: int
    last_synced_at: datetime | None
    error_message: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: SourceRow) -> "SourceOut":
        config: dict[str, Any] = {"platform": row.platform}
        if row.filename:
            config["filename"] = row.filename
        if row.kind == "file":
            config["column_mapping"] = row.column_mapping or None
            config["job_id"] = str(import_job_id(row.id))
        elif row.column_mapping:
            config["column_mapping"] = row.column_mapping
        return cls(id=row.id, project_id=row.project_id, type=row.kind, name=row.name,
                   config=config, status=row.status, item_count=row.item_count,
                   last_synced_at=row.last_synced_at, error_message=row.error_message,
                   created_at=row.created_at)


class SourcesOut(msgspec.Struct):
    sources: list[SourceOut]
    total_items: int

"""Queries over the CatalogBoard read model (`rm_catalog`); each filters by the organization."""

import dataclasses
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.catalog.item_status import EXCLUDED, STATUS_COUNT_KEYS
from projections.catalog.projection import SCHEMA

EXPORT_CHUNK = 500


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectRow:
    id: UUID
    name: str
    platform: str
    status: str
    settings: dict[str, Any]
    store_connection_id: UUID | None
    created_at: datetime
    completed_at: datetime | None
    deleted_at: datetime | None
    source_count: int
    status_counts: dict[str, int]
    """Items per status (an excluded item counts as `excluded` only); every key present."""

    @property
    def item_count(self) -> int:
        return sum(self.status_counts.values())


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceRow:
    id: UUID
    project_id: UUID
    kind: str
    name: str
    platform: str
    filename: str
    column_mapping: dict[str, str]
    status: str
    error_message: str | None
    last_synced_at: datetime | None
    created_at: datetime
    item_count: int
    file_key: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemRow:
    id: UUID
    project_id: UUID
    data_source_id: UUID
    data_source_name: str
    external_id: str
    item_type: str
    parent_id: UUID | None
    parent_external_id: str | None
    name: str
    sku: str | None
    source_data: dict[str, Any]
    generated_content: dict[str, str]
    confidence_score: float | None
    status: str
    ai_model_used: str | None
    metadata: dict[str, Any]
    excluded_at: datetime | None
    created_at: datetime
    seq: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemFilter:
    """`status` "excluded" means the excluded items; another status, the items in it that
    are not excluded. `search` matches name, SKU, external id and generated name/short text."""

    status: str | None = None
    source_id: UUID | None = None
    search: str | None = None
    item_type: str | None = None
    exclude_variants: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ToneRow:
    key: str
    name: str
    description: str
    system_prompt: str
    created_at: datetime


_COUNTS = (
    f"SELECT project_id, bucket, sum(n) FROM {SCHEMA}.item_counts"
    " WHERE org_id = %s AND project_id = ANY(%s) GROUP BY project_id, bucket"
)
_SOURCE_COUNTS = (
    f"SELECT project_id, count(*) FROM {SCHEMA}.sources WHERE org_id = %s AND project_id = ANY(%s)"
    " GROUP BY project_id"
)
_PROJECT = (
    "SELECT id, name, platform, status, settings, store_connection_id, created_at, completed_at,"
    f" deleted_at FROM {SCHEMA}.projects WHERE org_id = %s"
)


async def _projects(conn: AsyncConnection[Any], org_id: UUID, where: str,
                    params: Sequence[Any]) -> list[ProjectRow]:
    cur = await conn.execute(f"{_PROJECT} {where} ORDER BY created_at DESC, id",
                             (org_id, *params))
    rows = await cur.fetchall()
    ids = [r[0] for r in rows]
    counts: dict[UUID, dict[str, int]] = {i: dict.fromkeys(STATUS_COUNT_KEYS, 0) for i in ids}
    for project_id, bucket, n in await (await conn.execute(_COUNTS, (org_id, ids))).fetchall():
        counts[project_id][bucket] = int(n)
    sources = dict(await (await conn.execute(_SOURCE_COUNTS, (org_id, ids))).fetchall())
    return [ProjectRow(id=r[0], name=r[1], platform=r[2], status=r[3], settings=r[4] or {},
                       store_connection_id=r[5], created_at=r[6], completed_at=r[7],
                       deleted_at=r[8], source_count=int(sources.get(r[0], 0)),
                       status_counts=counts[r[0]]) for r in rows]


async def list_projects(conn: AsyncConnection[Any], org_id: UUID, *,
                        deleted: bool = False) -> list[ProjectRow]:
    """The organization's active projects, or (`deleted`) those in the trash; newest first."""
    where = "AND deleted_at IS NOT NULL" if deleted else "AND deleted_at IS NULL"
    return await _projects(conn, org_id, where, ())


async def get_project(conn: AsyncConnection[Any], org_id: UUID,
                      project_id: UUID) -> ProjectRow | None:
    """A project of the organization, in the trash or not."""
    rows = await _projects(conn, org_id, "AND id = %s", (project_id,))
    return rows[0] if rows else None


_SOURCE = (
    "SELECT s.id, s.project_id, s.kind, s.name, s.platform, s.filename, s.column_mapping,"
    " s.status, s.error_message, s.last_synced_at, s.created_at,"
    f" (SELECT coalesce(sum(n), 0) FROM {SCHEMA}.item_counts c WHERE c.source_id = s.id),"
    " s.file_key"
    f" FROM {SCHEMA}.sources s WHERE s.org_id = %s AND s.project_id = %s"
)


def _source(r: Any) -> SourceRow:
    return SourceRow(id=r[0], project_id=r[1], kind=r[2], name=r[3], platform=r[4],
                     filename=r[5], column_mapping=r[6] or {}, status=r[7], error_message=r[8],
                     last_synced_at=r[9], created_at=r[10], item_count=int(r[11]),
                     file_key=r[12] or "")


async def list_sources(conn: AsyncConnection[Any], org_id: UUID,
                       project_id: UUID) -> list[SourceRow]:
    """The project's sources, newest first, each with its number of items."""
    cur = await conn.execute(_SOURCE + " ORDER BY s.created_at DESC, s.id", (org_id, project_id))
    return [_source(r) for r in await cur.fetchall()]


async def get_source(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                     source_id: UUID) -> SourceRow | None:
    cur = await conn.execute(_SOURCE + " AND s.id = %s", (org_id, project_id, source_id))
    row = await cur.fetchone()
    return _source(row) if row else None


_ITEM = (
    "SELECT i.id, i.project_id, i.source_id, s.name, i.external_id, i.item_type, i.parent_id,"
    " i.parent_external_id, i.name, i.sku, i.source_data, i.generated_content,"
    " i.confidence_score, i.status, i.ai_model_used, i.system_meta || i.user_meta,"
    f" i.excluded_at, i.created_at, i.seq FROM {SCHEMA}.items i"
    f" JOIN {SCHEMA}.sources s ON s.id = i.source_id"
    " WHERE i.org_id = %s AND i.project_id = %s"
)


def _item(r: Any) -> ItemRow:
    return ItemRow(id=r[0], project_id=r[1], data_source_id=r[2], data_source_name=r[3],
                   external_id=r[4], item_type=r[5], parent_id=r[6], parent_external_id=r[7],
                   name=r[8], sku=r[9], source_data=r[10] or {}, generated_content=r[11] or {},
                   confidence_score=r[12], status=r[13], ai_model_used=r[14],
                   metadata=r[15] or {}, excluded_at=r[16], created_at=r[17], seq=r[18])


def _where(f: ItemFilter) -> tuple[str, list[Any]]:
    sql = ""
    params: list[Any] = []
    if f.status == EXCLUDED:
        sql += " AND i.bucket = 'excluded'"
    elif f.status:
        sql += " AND i.bucket = %s"
        params.append(f.status)
    if f.source_id:
        sql += " AND i.source_id = %s"
        params.append(f.source_id)
    if f.item_type:
        sql += " AND i.item_type = %s"
        params.append(f.item_type)
    if f.exclude_variants:
        sql += " AND i.item_type <> 'variant'"
    if f.search and f.search.strip():
        escaped = f.search.strip().lower().replace("\\", "\\\\").replace("%", "\\%")
        sql += " AND i.search_text LIKE %s"
        params.append("%" + escaped.replace("_", "\\_") + "%")
    return sql, params


async def list_items(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                     item_filter: ItemFilter = ItemFilter(), *, limit: int | None = None,
                     offset: int = 0) -> list[ItemRow]:
    """The project's items matching the filter, in import order."""
    where, params = _where(item_filter)
    page = "" if limit is None else " LIMIT %s OFFSET %s"
    cur = await conn.execute(_ITEM + where + " ORDER BY i.seq" + page,
                             [org_id, project_id, *params, *([limit, offset] if page else [])])
    return [_item(r) for r in await cur.fetchall()]


async def count_items(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                      item_filter: ItemFilter = ItemFilter()) -> int:
    where, params = _where(item_filter)
    cur = await conn.execute(
        f"SELECT count(*) FROM {SCHEMA}.items i WHERE i.org_id = %s AND i.project_id = %s"
        + where, [org_id, project_id, *params])
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def get_items(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                    item_ids: Sequence[UUID]) -> list[ItemRow]:
    """The items with these ids (those of the project that exist), in the order given."""
    cur = await conn.execute(_ITEM + " AND i.id = ANY(%s)", (org_id, project_id, list(item_ids)))
    found = {row.id: row for row in map(_item, await cur.fetchall())}
    return [found[i] for i in dict.fromkeys(item_ids) if i in found]


async def item_ids_in_status(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                             statuses: Sequence[str], *,
                             exclude_variants: bool = True) -> list[UUID]:
    """Ids of the project's items (not excluded) in one of `statuses`, in import order;
    without variants unless asked (e.g. pending non-variant items for a generation run)."""
    variants = " AND item_type <> 'variant'" if exclude_variants else ""
    cur = await conn.execute(
        f"SELECT id FROM {SCHEMA}.items WHERE org_id = %s AND project_id = %s"
        f" AND bucket = ANY(%s){variants} ORDER BY seq", (org_id, project_id, list(statuses)))
    return [r[0] for r in await cur.fetchall()]


async def iter_items(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                     item_filter: ItemFilter = ItemFilter(),
                     chunk: int = EXPORT_CHUNK) -> AsyncIterator[list[ItemRow]]:
    """The matching items in chunks, in import order (for exports of any size)."""
    where, params = _where(item_filter)
    after = -1
    while True:
        cur = await conn.execute(_ITEM + where + " AND i.seq > %s ORDER BY i.seq LIMIT %s",
                                 [org_id, project_id, *params, after, chunk])
        rows = [_item(r) for r in await cur.fetchall()]
        if not rows:
            return
        yield rows
        after = rows[-1].seq


async def list_tones(conn: AsyncConnection[Any], org_id: UUID) -> list[ToneRow]:
    """The organization's custom tones, by id."""
    cur = await conn.execute(
        f"SELECT key, name, description, system_prompt, created_at FROM {SCHEMA}.tones"
        " WHERE org_id = %s ORDER BY key", (org_id,))
    return [ToneRow(key=r[0], name=r[1], description=r[2], system_prompt=r[3], created_at=r[4])
            for r in await cur.fetchall()]


async def get_tone(conn: AsyncConnection[Any], org_id: UUID, key: str) -> ToneRow | None:
    cur = await conn.execute(
        f"SELECT key, name, description, system_prompt, created_at FROM {SCHEMA}.tones"
        " WHERE org_id = %s AND key = %s", (org_id, key))
    r = await cur.fetchone()
    return ToneRow(key=r[0], name=r[1], description=r[2], system_prompt=r[3],
                   created_at=r[4]) if r else None


async def generation_inputs(
    conn: AsyncConnection[Any], org_id: UUID, project_id: UUID, *,
    statuses: Sequence[str] = (), item_ids: Sequence[UUID] = (), chunk: int = EXPORT_CHUNK,
) -> AsyncIterator[list[tuple[UUID, dict[str, Any]]]]:
    """(id, source data) of the project's non-variant items that are not excluded and either
    are in one of `statuses` or among `item_ids`, in import order and in chunks."""
    after = -1
    while True:
        cur = await conn.execute(
            f"SELECT id, source_data, seq FROM {SCHEMA}.items WHERE org_id = %s AND project_id = %s"
            " AND item_type <> 'variant' AND bucket <> 'excluded'"
            " AND (bucket = ANY(%s) OR id = ANY(%s)) AND seq > %s ORDER BY seq LIMIT %s",
            (org_id, project_id, list(statuses), list(item_ids), after, chunk))
        rows = await cur.fetchall()
        if not rows:
            return
        yield [(r[0], r[1] or {}) for r in rows]
        after = rows[-1][2]

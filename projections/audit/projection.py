"""AuditLog — why: admins see who did what and when, for every event of their organization;
how: one row per event in `rm_audit.audit_log`; when: async (projector)."""

import dataclasses
from typing import Any
from uuid import UUID

import msgspec
from psycopg import AsyncConnection

from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import MultiRow, Writes

SCHEMA = "rm_audit"
_SKIP_FIELDS = ("org_id", "occurred_at")
_BULKY_FIELDS = {"catalog.ItemImported": ("source_data",), "catalog.ProductBatchImported": ("products",)}
"""Left out of the log: imported products' rows are the file's, kept in the file store and in
the events themselves; the audit line names the product or the batch's source."""
_INSERT = MultiRow(
    "INSERT INTO audit_log (position, org_id, occurred_at, event_type, aggregate_id,"
    " aggregate_version, actor_type, actor_id, request_id, correlation_id, data)",
    ("bigint", "uuid", "timestamptz", "text", "uuid", "integer", "text", "text", "text", "text",
     "jsonb"),
    "ON CONFLICT (position) DO NOTHING",
)


class AuditLog(Projection):
    name = "audit"
    schema = SCHEMA

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event = record.event
        skip = _SKIP_FIELDS + _BULKY_FIELDS.get(record.topic, ())
        data = msgspec.to_builtins({f.name: getattr(event, f.name) for f in dataclasses.fields(event)
                                    if f.name not in skip})
        meta = record.meta
        writes.insert(_INSERT, (
            record.position, event.org_id, event.occurred_at, record.topic, record.aggregate_id,
            record.aggregate_version, meta.actor_type, meta.actor_id, meta.request_id,
            meta.correlation_id, msgspec.json.encode(data).decode()))


class AuditEntry(msgspec.Struct):
    id: int
    event_type: str
    occurred_at: str
    aggregate_id: str
    actor_type: str
    actor_id: str | None
    request_id: str | None
    data: dict[str, Any]


async def list_audit(
    conn: AsyncConnection, org_id: UUID, *, page: int, page_size: int,
    event_type: str | None = None,
) -> tuple[list[AuditEntry], int]:
    where, params = "org_id = %s", [org_id]
    if event_type:
        where += " AND event_type = %s"
        params.append(event_type)  # type: ignore[arg-type]
    cur = await conn.execute(f"SELECT count(*) FROM {SCHEMA}.audit_log WHERE {where}", params)
    row = await cur.fetchone()
    total = int(row[0]) if row else 0
    cur = await conn.execute(
        "SELECT position, event_type, occurred_at, aggregate_id, actor_type, actor_id, request_id,"
        f" data FROM {SCHEMA}.audit_log WHERE {where} ORDER BY position DESC LIMIT %s OFFSET %s",
        [*params, page_size, (page - 1) * page_size],
    )
    entries = [
        AuditEntry(id=r[0], event_type=r[1], occurred_at=r[2].isoformat(), aggregate_id=str(r[3]),
                   actor_type=r[4], actor_id=r[5], request_id=r[6], data=r[7])
        for r in await cur.fetchall()
    ]
    return entries, total

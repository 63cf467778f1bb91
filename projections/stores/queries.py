"""Queries over the StoreConnections read model (`rm_stores`), each scoped by the
organization: another organization's id finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.stores.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConnectionRow:
    id: UUID
    name: str
    platform: str
    base_url: str
    status: str
    has_credentials: bool
    store_name: str | None
    last_message: str | None
    last_connected_at: datetime | None
    created_at: datetime
    updated_at: datetime
    project_count: int
    auto_sync: bool


_CONNECTIONS = (
    f"SELECT c.id, c.name, c.platform, c.base_url, c.status, c.has_credentials, c.store_name,"
    f" c.last_message, c.last_connected_at, c.created_at, c.updated_at, c.auto_sync,"
    f" (SELECT count(*) FROM {SCHEMA}.links l WHERE l.connection_id = c.id)"
    f" FROM {SCHEMA}.connections c WHERE c.org_id = %s"
)


def _row(r: Any) -> ConnectionRow:
    return ConnectionRow(id=r[0], name=r[1], platform=r[2], base_url=r[3], status=r[4],
                         has_credentials=r[5], store_name=r[6], last_message=r[7],
                         last_connected_at=r[8], created_at=r[9], updated_at=r[10],
                         auto_sync=r[11], project_count=int(r[12]))


async def list_connections(conn: AsyncConnection[Any], org_id: UUID) -> list[ConnectionRow]:
    cur = await conn.execute(f"{_CONNECTIONS} ORDER BY c.created_at, c.id", (org_id,))
    return [_row(r) for r in await cur.fetchall()]


async def get_connection(conn: AsyncConnection[Any], org_id: UUID,
                         connection_id: UUID) -> ConnectionRow | None:
    cur = await conn.execute(f"{_CONNECTIONS} AND c.id = %s", (org_id, connection_id))
    row = await cur.fetchone()
    return None if row is None else _row(row)


async def connection_names(conn: AsyncConnection[Any], org_id: UUID,
                           ids: list[UUID]) -> dict[UUID, str]:
    """Name of each of the organization's connections among `ids`."""
    cur = await conn.execute(
        f"SELECT id, name FROM {SCHEMA}.connections WHERE org_id = %s AND id = ANY(%s)",
        (org_id, ids))
    return {r[0]: r[1] for r in await cur.fetchall()}


@dataclasses.dataclass(frozen=True, kw_only=True)
class SyncAttemptRow:
    id: UUID
    item_id: UUID
    connection_id: UUID
    connection_name: str | None
    started_at: datetime
    finished_at: datetime | None
    success: bool | None
    error_message: str | None
    store_reply_id: str | None


async def item_sync_history(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                            item_id: UUID) -> list[SyncAttemptRow]:
    """The item's sync attempts, oldest first (an attempt whose end is unknown included)."""
    cur = await conn.execute(
        f"SELECT h.attempt_id, h.item_id, h.connection_id, c.name, h.started_at,"
        f" h.finished_at, h.success, h.error_message, h.store_reply_id"
        f" FROM {SCHEMA}.sync_history h LEFT JOIN {SCHEMA}.connections c"
        f" ON c.id = h.connection_id WHERE h.org_id = %s AND h.project_id = %s"
        f" AND h.item_id = %s ORDER BY h.started_at, h.attempt_id",
        (org_id, project_id, item_id))
    return [SyncAttemptRow(id=r[0], item_id=r[1], connection_id=r[2], connection_name=r[3],
                           started_at=r[4], finished_at=r[5], success=r[6],
                           error_message=r[7], store_reply_id=r[8])
            for r in await cur.fetchall()]

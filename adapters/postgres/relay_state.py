"""The `relay_state` table (0001): how far the relay has published the log, and the advisory
lock that lets one relay at a time be the active one."""

from typing import Any

from psycopg import AsyncConnection

_TRY_LOCK = "SELECT pg_try_advisory_lock(%s)"
_POSITION = "SELECT position FROM relay_state WHERE id = 1"
_SAVE = "UPDATE relay_state SET position = %s, updated_at = now() WHERE id = 1"


async def try_lock(conn: AsyncConnection[Any], lock: int) -> bool:
    """Take the session-level advisory lock `lock` if no other session holds it."""
    cur = await conn.execute(_TRY_LOCK, (lock,))
    row = await cur.fetchone()
    return bool(row and row[0])


async def published_position(conn: AsyncConnection[Any]) -> int:
    cur = await conn.execute(_POSITION)
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def save_position(conn: AsyncConnection[Any], position: int) -> None:
    await conn.execute(_SAVE, (position,))

"""Applies events to projections, exactly once each (`projections.rebuilds` replays them).

A batch is applied in one transaction together with the projection's position: the tracking
row is locked first (so two projector processes, or a rebuild's swap, take turns), events at
or below the position are dropped, and a hole in the positions is filled from the event store
itself (a hole is an event NATS lost or delivered out of order, or a rolled-back id that
never existed; the store tells which). Commit, then the caller acks.

A failure is one of two kinds, and only one of them parks an event:

* **Transient** (`is_transient`): the database, not the event, is at fault — the connection
  was lost or terminated, a serialization failure, a deadlock, a lock or statement timeout,
  the server short of resources or shutting down (psycopg's `OperationalError`, save the
  program limits of SQLSTATE class 54, and any error on a connection that is now closed).
  It is raised at once: the transaction rolls back, nothing is parked and the position does
  not move. The projector's supervisor restarts that projection after a doubling pause (with
  no transaction open) and the event is applied once the fault is gone.
* **Deterministic**: the projection cannot apply the event (PostgreSQL refuses a value, the
  projection's code fails). The failed batch is applied again one event at a time, each
  event tried `ATTEMPTS` times in savepoints with no pause (a pause would hold the tracking
  row's lock); one that still fails is parked (see `projections.parked`) in the transaction
  that moves the position past it. One bad event never stalls the read model, and a rebuild
  passes over it the same way.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
import structlog
from psycopg import AsyncConnection, AsyncCursor, sql

from adapters.postgres.event_log import read_log
from domain.log import RecordedEvent
from projections.base import Projection
from projections.parked import park
from projections.writes import Writes

log = structlog.get_logger("copydesk.projections")
GAP_FILL_LIMIT = 10_000
MAX_READ_BYTES = 16 * 1024 * 1024
"""Event data read from the store at once, about (an import's events are large)."""
ATTEMPTS = 3
"""Tries of an event that fails alone, deterministically, before it is parked."""
PROGRAM_LIMIT_CLASS = "54"
"""SQLSTATE class of the limits an event can exceed (an index row too large): deterministic."""


def is_transient(error: BaseException, conn: AsyncConnection) -> bool:
    """True when `error` comes from the database's state rather than the event's content:
    applying the same event later may succeed, so it must not be parked."""
    if conn.closed or conn.broken:
        return True
    if not isinstance(error, psycopg.OperationalError):
        return False
    sqlstate = error.sqlstate or ""
    return not sqlstate.startswith(PROGRAM_LIMIT_CLASS)


async def tracked_position(conn: AsyncConnection, name: str) -> int:
    cur = await conn.execute("SELECT position FROM projection_tracking WHERE name = %s", (name,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def tracked_positions(conn: AsyncConnection) -> list[tuple[str, int, datetime]]:
    """(name, position, updated at) of every projection in `projection_tracking`, by name."""
    cur = await conn.execute(
        "SELECT name, position, updated_at FROM projection_tracking ORDER BY name")
    return [(name, int(position), at) for name, position, at in await cur.fetchall()]


async def tracked_ddl_hash(conn: AsyncConnection, name: str) -> str | None:
    """The hash of the migration a projection was built with; None: it was never built."""
    cur = await conn.execute("SELECT ddl_hash FROM projection_tracking WHERE name = %s", (name,))
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def start_tracking(conn: AsyncConnection, projection: Projection) -> None:
    await conn.execute(
        "INSERT INTO projection_tracking (name, position, ddl_hash) VALUES (%s, 0, %s)",
        (projection.name, projection.ddl_hash()),
    )


async def apply_batch(
    conn: AsyncConnection, projection: Projection, records: Sequence[RecordedEvent],
    passed_over: int = 0,
) -> int:
    """Apply `records` (any order, duplicates allowed); the position reached. `passed_over`:
    the caller's own position, which may be ahead of the row after `pass_over`."""
    async with conn.transaction():
        cur = conn.cursor()
        await cur.execute(
            "SELECT position FROM projection_tracking WHERE name = %s FOR UPDATE",
            (projection.name,),
        )
        row = await cur.fetchone()
        assert row is not None, f"projection {projection.name} is not migrated"
        position = max(int(row[0]), passed_over)
        fresh = sorted({r.position: r for r in records if r.position > position}.values(),
                       key=lambda r: r.position)
        if not fresh:
            return position
        top = fresh[-1].position
        if not _contiguous(position, fresh):
            fresh = await read_log(conn, after=position, limit=GAP_FILL_LIMIT, upto=top,
                                   max_bytes=MAX_READ_BYTES, handles=projection.handles)
            if fresh[-1].position < top:  # far behind: this much now, the rest later
                top = fresh[-1].position
        await apply_in(cur, projection, projection.schema, fresh)
        await cur.execute(
            "UPDATE projection_tracking SET position = %s, updated_at = now() WHERE name = %s",
            (top, projection.name),
        )
        quiet = "" if any(projection.handles(r.topic) for r in fresh) else ":quiet"
        await cur.execute("SELECT pg_notify('projection_advanced', %s)",
                          (f"{projection.name}:{top}{quiet}",))
    return top


async def pass_over(
    conn: AsyncConnection, projection: Projection, records: Sequence[RecordedEvent], known: int
) -> int | None:
    """When `records` continue position `known` without a hole and the projection handles
    none of them, the position they reach, announced with no transaction at all (most
    events concern one projection of three). None when the batch needs `apply_batch`. The
    tracking row catches up at the next applied batch or through `save_position`."""
    fresh = sorted({r.position: r for r in records if r.position > known}.values(),
                   key=lambda r: r.position)
    if not fresh:
        return known
    if not _contiguous(known, fresh) or any(projection.handles(r.topic) for r in fresh):
        return None
    top = fresh[-1].position
    # ":quiet": the position moved but the read model did not change
    await conn.execute("SELECT pg_notify('projection_advanced', %s)",
                       (f"{projection.name}:{top}:quiet",))
    return top


async def save_position(conn: AsyncConnection, name: str, position: int) -> None:
    await conn.execute(
        "UPDATE projection_tracking SET position = %s, updated_at = now()"
        " WHERE name = %s AND position < %s", (position, name, position))


def _contiguous(position: int, records: Sequence[RecordedEvent]) -> bool:
    return all(r.position == position + i for i, r in enumerate(records, start=1))


async def apply_in(
    cur: AsyncCursor[Any], projection: Projection, schema: str, records: Sequence[RecordedEvent]
) -> None:
    """Apply `records` within the caller's transaction. A transient failure is raised; when
    the batch fails otherwise, its events are applied one at a time and one that still fails
    after `ATTEMPTS` tries is parked (the module's docstring has the rule)."""
    await cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    handled = [r for r in records if projection.handles(r.topic)]
    try:
        async with cur.connection.transaction():  # a savepoint: the batch's transaction survives
            await _write(cur, projection, handled)
    except Exception as error:
        if is_transient(error, cur.connection):
            raise
        log.warning("projection_batch_failed", projection=projection.name,
                    first=records[0].position, last=records[-1].position, error=repr(error))
        for record in handled:
            await _apply_one(cur, projection, record)


async def _write(cur: AsyncCursor[Any], projection: Projection,
                 records: Sequence[RecordedEvent]) -> None:
    writes = Writes()
    for record in records:
        projection.apply(writes, record)
    await writes.flush(cur)


async def _apply_one(cur: AsyncCursor[Any], projection: Projection, record: RecordedEvent) -> None:
    error = ""
    for _ in range(ATTEMPTS):
        try:
            async with cur.connection.transaction():
                await _write(cur, projection, [record])
            return
        except Exception as exc:
            if is_transient(exc, cur.connection):
                raise
            error = f"{type(exc).__name__}: {exc}"
    await park(cur, projection.name, record, error, ATTEMPTS)
    log.error("projection_event_parked", projection=projection.name, position=record.position,
              topic=record.topic, error=error)


async def create_schema(conn: AsyncConnection, projection: Projection, schema: str) -> None:
    await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    await conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))
    await conn.execute(projection.ddl().encode())
    await conn.execute("SET search_path TO public")

"""Rebuilds read models from the event store: into shadow schemas while the live ones keep
serving, then swapped in one transaction.

Several projections are rebuilt together in one pass over the log: each batch is read and
decoded once and applied to every shadow schema. The log is read only for the topics the
projections handle (PostgreSQL filters them; a read model that handles a few kinds of event
reads only those), unless one of them handles every event. Events a projection cannot apply
are parked exactly as the projector parks them (`projections.runner.apply_in`).
"""

from collections.abc import Callable, Sequence
from typing import Any

import structlog
from psycopg import AsyncConnection, sql

from adapters.postgres.event_log import max_position, read_log
from domain.log import RecordedEvent
from projections.base import Projection
from projections.parked import resolve_reapplied
from projections.runner import MAX_READ_BYTES, apply_in, create_schema

log = structlog.get_logger("copydesk.projections")
REBUILD_BATCH = 5000


def _topics(projections: Sequence[Projection]) -> frozenset[str] | None:
    """Every topic the projections handle; None when one of them handles every event."""
    if any(not p.topics for p in projections):
        return None
    return frozenset().union(*(p.topics for p in projections))


def _decodes(topics: frozenset[str] | None) -> Callable[[str], bool] | None:
    return None if topics is None else topics.__contains__


async def replay_into(
    conn: AsyncConnection, projections: Sequence[Projection], schemas: Sequence[str],
    after: int = 0, upto: int | None = None,
) -> int:
    """Replay the event store into `schemas` (one per projection, in order) in large batches,
    up to `upto` (the end of the log when it began by default); the position reached."""
    end = await max_position(conn) if upto is None else upto
    topics = _topics(projections)
    position = after
    while True:
        async with conn.transaction():
            records = await read_log(conn, after=position, limit=REBUILD_BATCH, upto=end,
                                     max_bytes=MAX_READ_BYTES, handles=_decodes(topics),
                                     topics=topics)
            if not records:
                return max(end, position)
            await _apply_to_each(conn, projections, schemas, records)
        position = records[-1].position


async def rebuild(conn: AsyncConnection, projection: Projection) -> int:
    """Rebuild one read model; the position it reached."""
    return (await rebuild_together(conn, [projection]))[projection.name]


async def rebuild_together(conn: AsyncConnection,
                           projections: Sequence[Projection]) -> dict[str, int]:
    """Rebuild `projections` in one pass over the log, then swap all of them in one
    transaction that holds their tracking rows (the projector waits meanwhile) and applies
    what was appended during the pass. The position each reached, by name."""
    chosen = sorted(projections, key=lambda p: p.name)  # locks always taken in one order
    shadows = [f"{p.schema}__rebuild" for p in chosen]
    started = await _now(conn)
    for projection, shadow in zip(chosen, shadows, strict=True):
        await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.Identifier(shadow)))
        await create_schema(conn, projection, shadow)
    position = await replay_into(conn, chosen, shadows)
    async with conn.transaction():
        for projection in chosen:
            await conn.execute("INSERT INTO projection_tracking (name) VALUES (%s)"
                               " ON CONFLICT DO NOTHING", (projection.name,))
            await conn.execute("SELECT 1 FROM projection_tracking WHERE name = %s FOR UPDATE",
                               (projection.name,))
        # appends hold a table lock, so what is visible now has no hole below it
        end = await max_position(conn)
        topics = _topics(chosen)
        records = await read_log(conn, after=position, limit=2**31, upto=end,
                                 handles=_decodes(topics), topics=topics)
        if records:
            await _apply_to_each(conn, chosen, shadows, records)
        position = max(position, end)
        await conn.execute("SET LOCAL search_path TO public")
        for projection, shadow in zip(chosen, shadows, strict=True):
            await _swap(conn, projection, shadow, position, started)
    for projection in chosen:
        log.info("projection_rebuilt", projection=projection.name, position=position)
    return {p.name: position for p in chosen}


async def _apply_to_each(conn: AsyncConnection, projections: Sequence[Projection],
                         schemas: Sequence[str], records: Sequence[RecordedEvent]) -> None:
    cur = conn.cursor()
    for projection, schema in zip(projections, schemas, strict=True):
        if any(projection.handles(r.topic) for r in records):
            await apply_in(cur, projection, schema, records)


async def _swap(conn: AsyncConnection, projection: Projection, shadow: str, position: int,
                started: Any) -> None:
    ident = sql.Identifier
    await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
        ident(projection.schema)))
    await conn.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
        ident(shadow), ident(projection.schema)))
    await conn.execute(
        "UPDATE projection_tracking SET position = %s, ddl_hash = %s, updated_at = now()"
        " WHERE name = %s", (position, projection.ddl_hash(), projection.name))
    await resolve_reapplied(conn, projection.name, started)
    await conn.execute("SELECT pg_notify('projection_advanced', %s)",
                       (f"{projection.name}:{position}",))


async def _now(conn: AsyncConnection) -> Any:
    cur = await conn.execute("SELECT clock_timestamp()")
    row = await cur.fetchone()
    assert row is not None
    return row[0]

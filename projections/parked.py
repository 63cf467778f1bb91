"""Queries on `parked_events`: events a projection could not apply and passed over."""

from typing import Any

from psycopg import AsyncConnection, AsyncCursor

from domain.log import RecordedEvent


async def parked_count(conn: AsyncConnection) -> dict[str, int]:
    """Unresolved parked events per projection (projections with none are absent)."""
    cur = await conn.execute(
        "SELECT projection, count(*) FROM parked_events WHERE NOT resolved GROUP BY projection")
    return {name: int(n) for name, n in await cur.fetchall()}


PARK = (
    "INSERT INTO parked_events (projection, position, topic, originator_id, originator_version,"
    " error, attempts) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (projection, position) DO UPDATE SET error = EXCLUDED.error,"
    " attempts = parked_events.attempts + EXCLUDED.attempts, last_failed_at = now(),"
    " resolved = false"
)


async def park(cur: AsyncCursor[Any], projection: str, record: RecordedEvent, error: str,
               attempts: int) -> None:
    """Note an event `projection` passes over; within the caller's transaction."""
    await cur.execute(PARK, (projection, record.position, record.topic, record.aggregate_id,
                             record.aggregate_version, error[:2000], attempts))


async def resolve_reapplied(conn: AsyncConnection, projection: str, since: Any) -> None:
    """After a rebuild that began at `since`: the parked events it did not park again applied
    this time (the cause was fixed), so they are resolved."""
    await conn.execute(
        "UPDATE parked_events SET resolved = true"
        " WHERE projection = %s AND NOT resolved AND last_failed_at < %s", (projection, since))


async def list_parked(conn: AsyncConnection) -> list[tuple[str, int, str, int, str]]:
    """Unresolved parked events: (projection, position, topic, attempts, error), in order."""
    cur = await conn.execute(
        "SELECT projection, position, topic, attempts, error FROM parked_events"
        " WHERE NOT resolved ORDER BY projection, position")
    return [(str(p), int(n), str(t), int(a), str(e)) for p, n, t, a, e in await cur.fetchall()]

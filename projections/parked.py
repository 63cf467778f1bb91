"""Queries on `parked_events`: events a projection could not apply and passed over."""

from psycopg import AsyncConnection


async def parked_count(conn: AsyncConnection) -> dict[str, int]:
    """Unresolved parked events per projection (projections with none are absent)."""
    cur = await conn.execute(
        "SELECT projection, count(*) FROM parked_events WHERE NOT resolved GROUP BY projection")
    return {name: int(n) for name, n in await cur.fetchall()}

"""The `rate_windows` table (0011): requests per key in fixed one-minute windows."""

from typing import Any

from psycopg import AsyncConnection

_COUNT = (
    "INSERT INTO rate_windows AS w (key, window_start, n)"
    " VALUES (%s, date_trunc('minute', now()), 1)"
    " ON CONFLICT (key, window_start) DO UPDATE SET n = w.n + 1"
    " RETURNING n, extract(epoch FROM w.window_start + interval '1 minute' - now())"
)
_PURGE = "DELETE FROM rate_windows WHERE window_start < now() - interval '2 minutes'"


async def count_request(conn: AsyncConnection[Any], key: str) -> tuple[int, float]:
    """Count one request under `key`: the requests of this minute so far (this one
    included) and the seconds until the next minute begins."""
    cur = await conn.execute(_COUNT, (key,))
    row = await cur.fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    cur = await conn.execute(_PURGE)
    return cur.rowcount

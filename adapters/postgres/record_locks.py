"""Session-level advisory locks on one record (a blog post being published): held on a
connection of the pool while the work runs, so that of several processes one does it. A
process that dies loses its connection and so its locks: the work is free to take over at
once, with no lease to wait out."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

_TRY = "SELECT pg_try_advisory_lock(%s, %s)"
_UNLOCK = "SELECT pg_advisory_unlock(%s, %s)"


def _key(record_id: UUID) -> int:
    """A 32-bit key (the lock's second half); two records sharing it only take turns."""
    return int.from_bytes(record_id.bytes[:4], "big", signed=True)


@contextlib.asynccontextmanager
async def record_lock(pool: AsyncConnectionPool[Any], space: int, record_id: UUID,
                      ) -> AsyncIterator[bool]:
    """Yields True while this process holds the lock `(space, record_id)`; False when
    another session holds it (then nothing is held)."""
    async with pool.connection() as conn:
        cur = await conn.execute(_TRY, (space, _key(record_id)))
        row = await cur.fetchone()
        held = bool(row and row[0])
        try:
            yield held
        finally:
            if held:
                await conn.execute(_UNLOCK, (space, _key(record_id)))

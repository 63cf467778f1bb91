"""The `embedding_cache` table (0010): vectors by model and the sha256 of the embedded text."""

from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection

_GET = "SELECT text_hash, embedding FROM embedding_cache WHERE model = %s AND text_hash = ANY(%s)"
_PUT = ("INSERT INTO embedding_cache (model, text_hash, embedding) VALUES (%s, %s, %s)"
        " ON CONFLICT (model, text_hash) DO NOTHING")
_PURGE = "DELETE FROM embedding_cache WHERE created_at < now() - interval '180 days'"


async def get_many(conn: AsyncConnection[Any], model: str,
                   text_hashes: Sequence[str]) -> dict[str, list[float]]:
    cur = await conn.execute(_GET, (model, list(text_hashes)))
    return {text_hash: list(vector) for text_hash, vector in await cur.fetchall()}


async def put_many(conn: AsyncConnection[Any], model: str,
                   vectors: Sequence[tuple[str, Sequence[float]]]) -> None:
    if vectors:
        async with conn.cursor() as cur:
            await cur.executemany(_PUT, [(model, h, list(v)) for h, v in vectors])


async def count(conn: AsyncConnection[Any], model: str) -> int:
    cur = await conn.execute("SELECT count(*) FROM embedding_cache WHERE model = %s", (model,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget vectors not computed for half a year (a cache: they come back when needed)."""
    cur = await conn.execute(_PURGE)
    return cur.rowcount

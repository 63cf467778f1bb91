"""Hybrid retrieval shared by the product index and the page index: the nearest vectors (HNSW
with iterative scans, so a filtered search still finds its rows) and the best full-text
matches, each up to `candidates` ids, fused by reciprocal rank."""

from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection

from domain.search.fusion import reciprocal_rank_fusion

CANDIDATES = 40
"""Ids each leg contributes to the fusion, at the least."""
EF_SEARCH = 100


async def fused_ranking(
    conn: AsyncConnection[Any], *, by_vector: str, by_text: str, vector: Sequence[float] | None,
    query: str, params: Sequence[Any], limit: int, vector_params: Sequence[Any] | None = None,
) -> list[tuple[Any, float]]:
    """(id, score) of the `limit` best, best first. `by_vector` and `by_text` are statements
    taking (vector or query, *params, candidates) — `by_vector` takes `vector_params` instead
    of `params` when given; a `vector` of None (embeddings are off) lets the words alone
    rank."""
    candidates = max(CANDIDATES, limit)
    async with conn.transaction():
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        await conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, candidates)}")
        by_meaning: list[Any] = []
        if vector is not None:
            cur = await conn.execute(by_vector, (list(vector), *(
                params if vector_params is None else vector_params), candidates))
            by_meaning = [row[0] for row in await cur.fetchall()]
        cur = await conn.execute(by_text, (query, *params, candidates))
        by_words = [row[0] for row in await cur.fetchall()]
    return reciprocal_rank_fusion([by_meaning, by_words], limit=limit)

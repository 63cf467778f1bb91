"""Queries over the page index (`rm_search.pages`), each scoped by the organization: a
page's status, hybrid retrieval with metadata filters, and the embedding worker's claims,
vectors and failures (an ERROR is tried again after a backoff)."""

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.search.hybrid import fused_ranking
from projections.search.page_filters import translate
from projections.search.projection import SCHEMA
from projections.search.words import MATCHES, RANK, WORDS

EMBED_CHARS = 2000
"""The part of a content that is embedded (multilingual-e5 reads 512 tokens)."""
CLAIM_SECONDS = 300
MAX_BACKOFF_SECONDS = 3600
SNIPPET = 'MaxWords=35, MinWords=15, MaxFragments=1, StartSel="", StopSel=""'

_VECTOR = (
    "WITH nearest AS MATERIALIZED (SELECT page_id, embedding <=> %s::real[]::vector AS distance"
    f" FROM {SCHEMA}.pages WHERE org_id = %s AND embedding IS NOT NULL{{filter}}"
    " ORDER BY distance LIMIT %s) SELECT page_id FROM nearest ORDER BY distance"
)
_TEXT = (
    f"SELECT page_id FROM {SCHEMA}.pages, {WORDS}"
    f" WHERE org_id = %s AND {MATCHES}{{filter}} ORDER BY {RANK} DESC, page_id LIMIT %s"
)
_HITS = (
    "SELECT page_id, url, title, metadata, ts_headline(tsconfig, left(content, 5000),"
    f" websearch_to_tsquery(tsconfig, %s), '{SNIPPET}')"
    f" FROM {SCHEMA}.pages WHERE org_id = %s AND page_id = ANY(%s)"
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageRow:
    page_id: str
    url: str
    title: str
    metadata: dict[str, Any]
    status: str
    error: str | None
    attempts: int
    retry_at: datetime | None
    indexed: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageHit:
    page_id: str
    url: str
    title: str
    score: float
    snippet: str
    metadata: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class PendingPage:
    page_id: str
    org_id: UUID
    content_hash: str
    text: str
    attempts: int


async def get_page(conn: AsyncConnection[Any], org_id: UUID, page_id: str) -> PageRow | None:
    cur = await conn.execute(
        "SELECT page_id, url, title, metadata, status, error, attempts, retry_at,"
        f" embedding IS NOT NULL FROM {SCHEMA}.pages WHERE org_id = %s AND page_id = %s",
        (org_id, page_id))
    row = await cur.fetchone()
    if row is None:
        return None
    return PageRow(page_id=row[0], url=row[1], title=row[2], metadata=row[3], status=row[4],
                   error=row[5], attempts=row[6], retry_at=row[7], indexed=row[8])


async def retrieve_pages(
    conn: AsyncConnection[Any], org_id: UUID, query: str, vector: Sequence[float] | None, *,
    top_k: int = 10, filters: object = None, model: str | None = None,
) -> list[PageHit]:
    """The organization's `top_k` pages best matching `query` by meaning and by words, among
    those whose metadata passes `filters` (MalformedInputError for a bad filter). `model`:
    the `model@dimension` of `vector`; only pages embedded with it are compared by meaning."""
    where, params = translate(filters)
    vector_where, vector_params = where, tuple(params)
    if model is not None:
        vector_where, vector_params = where + " AND embedded_with = %s", (*params, model)
    fused = await fused_ranking(conn, by_vector=_VECTOR.format(filter=vector_where),
                                by_text=_TEXT.format(filter=where), vector=vector, query=query,
                                params=(org_id, *params), limit=top_k,
                                vector_params=(org_id, *vector_params))
    if not fused:
        return []
    cur = await conn.execute(_HITS, (query, org_id, [page for page, _ in fused]))
    rows = {row[0]: row for row in await cur.fetchall()}
    return [PageHit(page_id=page, url=rows[page][1], title=rows[page][2], score=round(score, 6),
                    metadata=rows[page][3], snippet=rows[page][4])
            for page, score in fused if page in rows]


async def claim_pending_pages(conn: AsyncConnection[Any], limit: int) -> list[PendingPage]:
    """Up to `limit` pages to embed (new or changed, or failed and due again), PROCESSING
    from now on; no two workers get the same page."""
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.pages p SET claimed_at = now(), status = 'PROCESSING' FROM"
        f" (SELECT page_id FROM {SCHEMA}.pages WHERE status IN"
        " ('PENDING_VECTORIZATION', 'PROCESSING', 'ERROR') AND (retry_at IS NULL OR retry_at"
        " <= now()) AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => %s))"
        " ORDER BY retry_at NULLS FIRST LIMIT %s FOR UPDATE SKIP LOCKED) c"
        " WHERE p.page_id = c.page_id RETURNING p.page_id, p.org_id, p.content_hash,"
        " concat_ws(E'\\n', nullif(p.title, ''), left(p.content, %s)), p.attempts",
        (CLAIM_SECONDS, limit, EMBED_CHARS))
    return [PendingPage(page_id=row[0], org_id=row[1], content_hash=row[2], text=row[3],
                        attempts=row[4])
            for row in await cur.fetchall()]


async def record_page_embeddings(
    conn: AsyncConnection[Any], embedded: Sequence[tuple[PendingPage, Sequence[float]]],
    model: str | None = None,
) -> int:
    """INDEXED with their vectors (made by `model`, `model@dimension`), the pages whose
    content is still the one embedded (one that changed meanwhile stays pending); how many
    were written."""
    if not embedded:
        return 0
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.pages p SET claimed_at = NULL, embedding = v.embedding::vector,"
        " embedded_with = %s, status = 'INDEXED', error = NULL, attempts = 0, retry_at = NULL"
        " FROM (SELECT unnest(%s::text[]) AS page_id, unnest(%s::text[]) AS content_hash,"
        " unnest(%s::text[]) AS embedding) v"
        " WHERE p.page_id = v.page_id AND p.content_hash = v.content_hash",
        (model, [p.page_id for p, _ in embedded], [p.content_hash for p, _ in embedded],
         ["[" + ",".join(repr(float(x)) for x in vector) + "]" for _, vector in embedded]))
    return cur.rowcount


async def record_page_failure(conn: AsyncConnection[Any], pages: Sequence[PendingPage],
                              reason: str, *, base_seconds: float) -> None:
    """ERROR with `reason`; tried again after `base_seconds` * 2^attempts (at most an hour)."""
    await conn.execute(
        f"UPDATE {SCHEMA}.pages SET claimed_at = NULL, status = 'ERROR', error = %s,"
        " attempts = attempts + 1, retry_at = now() + make_interval(secs =>"
        " least(%s, %s * power(2, attempts))) WHERE page_id = ANY(%s) AND status = 'PROCESSING'",
        (reason[:1000], MAX_BACKOFF_SECONDS, base_seconds, [p.page_id for p in pages]))


async def page_statuses(conn: AsyncConnection[Any], org_id: UUID,
                        page_ids: Sequence[str]) -> dict[str, str]:
    cur = await conn.execute(
        f"SELECT page_id, status FROM {SCHEMA}.pages WHERE org_id = %s AND page_id = ANY(%s)",
        (org_id, list(page_ids)))
    return {row[0]: row[1] for row in await cur.fetchall()}


async def release_page_claims(conn: AsyncConnection[Any], pages: Sequence[PendingPage]) -> None:
    """Hand pages back untried (the worker is stopping): pending again, no failure counted."""
    await conn.execute(
        f"UPDATE {SCHEMA}.pages SET claimed_at = NULL, status = CASE WHEN attempts > 0"
        " THEN 'ERROR' ELSE 'PENDING_VECTORIZATION' END"
        " WHERE page_id = ANY(%s) AND status = 'PROCESSING'", ([p.page_id for p in pages],))


async def count_unindexed_pages(conn: AsyncConnection[Any]) -> int:
    """Pages of every organization not INDEXED yet (pending, being embedded, or failed)."""
    cur = await conn.execute(f"SELECT count(*) FROM {SCHEMA}.pages WHERE status <> 'INDEXED'")
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def requeue_other_model_pages(conn: AsyncConnection[Any], model: str) -> int:
    """PENDING_VECTORIZATION again, every INDEXED page embedded with another model than
    `model` (the settings changed it); how many."""
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.pages SET status = 'PENDING_VECTORIZATION' WHERE status = 'INDEXED'"
        " AND embedded_with IS DISTINCT FROM %s", (model,))
    return cur.rowcount

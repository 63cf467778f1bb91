"""Queries over the ProductIndex read model (`rm_search`), each scoped by the organization:
hybrid product search (vector and full text fused by reciprocal rank), and the embedding
worker's reads and writes of pending rows."""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.search.segments import SegmentRule
from projections.search.hybrid import fused_ranking
from projections.search.projection import SCHEMA
from projections.search.words import MATCHES, RANK, WORDS

_VISIBLE = "org_id = %s AND NOT excluded AND NOT trashed"
_VECTOR = (
    "WITH nearest AS MATERIALIZED (SELECT item_id, embedding <=> %s::real[]::vector AS distance"
    f" FROM {SCHEMA}.products WHERE {_VISIBLE} AND embedding IS NOT NULL{{filter}}"
    " ORDER BY distance LIMIT %s) SELECT item_id FROM nearest ORDER BY distance"
)
_EXACT_VECTOR = (
    "WITH filtered AS MATERIALIZED (SELECT item_id, embedding <=> %s::real[]::vector AS distance"
    f" FROM {SCHEMA}.products WHERE {_VISIBLE} AND embedding IS NOT NULL{{filter}})"
    " SELECT item_id FROM filtered ORDER BY distance LIMIT %s"
)
_FILTERED_ROWS = (
    f"SELECT count(*) FROM (SELECT 1 FROM {SCHEMA}.products WHERE {_VISIBLE}"
    " AND embedding IS NOT NULL{filter} LIMIT %s) f"
)
EXACT_BELOW = 1000
"""A filter that leaves fewer rows with a vector than this is searched exactly (the distance
of each such row, no index): under a very selective filter the HNSW walk throws away almost
every row it visits, costs more than the exact scan and may still stop short of `k`."""
_TEXT = (
    f"SELECT item_id FROM {SCHEMA}.products, {WORDS}"
    f" WHERE {_VISIBLE} AND {MATCHES}{{filter}} ORDER BY {RANK} DESC, item_id LIMIT %s"
)
_HITS = (
    "SELECT item_id, project_id, sku, name, price, category, image_url, status, url"
    f" FROM {SCHEMA}.products WHERE org_id = %s AND item_id = ANY(%s)"
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductHit:
    item_id: UUID
    project_id: UUID | None
    """None for an external feed's product."""
    sku: str | None
    name: str
    price: Decimal | None
    category: str | None
    image_url: str | None
    status: str
    url: str | None
    score: float
    """Fused score, 0..1 (1: first by meaning and by words)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class PendingProduct:
    item_id: UUID
    org_id: UUID
    content_hash: str
    text: str


async def search_products(
    conn: AsyncConnection[Any], org_id: UUID, query: str, vector: Sequence[float] | None, *,
    limit: int = 20, project_ids: Sequence[UUID] | None = None,
    segment: SegmentRule | None = None, exact_below: int = EXACT_BELOW,
    model: str | None = None,
) -> list[ProductHit]:
    """The organization's `limit` best products for `query` (its embedding `vector`), by
    meaning and by words; only within `project_ids` and the `segment` when given (exactly
    when they leave fewer than `exact_below` rows). `model`: the `model@dimension` the vector
    was made with — only rows embedded with it are compared by meaning (during a change of
    model the others are found by words alone until they are embedded again)."""
    where, extra = _filter(project_ids, segment)
    vector_where, vector_extra = where, extra
    if model is not None:
        vector_where, vector_extra = where + " AND embedded_with = %s", (*extra, model)
    by_vector = ("" if vector is None else await _vector_statement(
        conn, vector_where, (org_id, *vector_extra), exact_below, filtered=bool(where)))
    fused = await fused_ranking(conn, by_vector=by_vector,
                                by_text=_TEXT.format(filter=where), vector=vector, query=query,
                                params=(org_id, *extra), limit=limit,
                                vector_params=(org_id, *vector_extra))
    if not fused:
        return []
    cur = await conn.execute(_HITS, (org_id, [item for item, _ in fused]))
    rows = {row[0]: row for row in await cur.fetchall()}
    return [ProductHit(item_id=item, project_id=rows[item][1], sku=rows[item][2],
                       name=rows[item][3], price=rows[item][4], category=rows[item][5],
                       image_url=rows[item][6], status=rows[item][7], url=rows[item][8],
                       score=round(score, 6))
            for item, score in fused if item in rows]


def _filter(project_ids: Sequence[UUID] | None,
            segment: SegmentRule | None) -> tuple[str, tuple[Any, ...]]:
    """SQL conditions (and their values) of a search restricted to projects or a segment
    (categories as the index has them, the last step of a path, in any case)."""
    conditions: list[str] = []
    values: list[Any] = []
    if project_ids is not None:
        conditions.append("project_id = ANY(%s)")
        values.append(list(project_ids))
    if segment is not None and segment.project_ids:
        conditions.append("project_id = ANY(%s)")
        values.append(list(segment.project_ids))
    if segment is not None and segment.categories:
        conditions.append("lower(category) = ANY(%s)")
        values.append([c.lower() for c in segment.categories])
    if segment is not None and segment.feeds:
        conditions.append("feed = ANY(%s)")
        values.append(list(segment.feeds))
    if segment is not None and segment.skus:
        conditions.append("sku = ANY(%s)")
        values.append(list(segment.skus))
    return "".join(f" AND {c}" for c in conditions), tuple(values)


async def _vector_statement(conn: AsyncConnection[Any], where: str, params: Sequence[Any],
                            exact_below: int, *, filtered: bool = True) -> str:
    """The vector leg: through the HNSW index, or exact when the filter (`filtered`: one
    restricting projects or a segment) leaves few rows."""
    if not where or not filtered or exact_below <= 0:
        return _VECTOR.format(filter=where)
    cur = await conn.execute(_FILTERED_ROWS.format(filter=where), (*params, exact_below))
    row = await cur.fetchone()
    rows = int(row[0]) if row else 0
    return (_EXACT_VECTOR if rows < exact_below else _VECTOR).format(filter=where)


async def explain_vector_search(
    conn: AsyncConnection[Any], org_id: UUID, vector: Sequence[float], limit: int = 10, *,
    project_ids: Sequence[UUID] | None = None, exact_below: int = EXACT_BELOW,
) -> str:
    """The plan of the vector leg search_products would run (the HNSW index or the exact
    scan)."""
    where, extra = _filter(project_ids, None)
    statement = await _vector_statement(conn, where, (org_id, *extra), exact_below)
    async with conn.transaction():
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cur = await conn.execute("EXPLAIN " + statement, (list(vector), org_id, *extra, limit))
        return "\n".join(row[0] for row in await cur.fetchall())


CLAIM_SECONDS = 300
"""A claim older than this is taken to be of a worker that died."""


async def claim_pending(conn: AsyncConnection[Any], limit: int) -> list[PendingProduct]:
    """Take up to `limit` rows whose text changed since it was embedded and that no other
    worker holds (excluded and trashed ones wait); each worker gets rows of its own."""
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.products p SET claimed_at = now() FROM (SELECT item_id"
        f" FROM {SCHEMA}.products WHERE pending AND NOT excluded AND NOT trashed AND"
        " (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => %s))"
        " LIMIT %s FOR UPDATE SKIP LOCKED) c WHERE p.item_id = c.item_id"
        " RETURNING p.item_id, p.org_id, p.content_hash, p.text", (CLAIM_SECONDS, limit))
    return [PendingProduct(item_id=row[0], org_id=row[1], content_hash=row[2], text=row[3])
            for row in await cur.fetchall()]


async def release_claims(conn: AsyncConnection[Any], items: Sequence[PendingProduct]) -> None:
    await conn.execute(f"UPDATE {SCHEMA}.products SET claimed_at = NULL WHERE item_id = ANY(%s)",
                       ([p.item_id for p in items],))


async def record_embeddings(
    conn: AsyncConnection[Any], embedded: Sequence[tuple[PendingProduct, Sequence[float]]],
    model: str | None = None,
) -> int:
    """Write the vectors (made by `model`, `model@dimension`) of rows whose text is still the
    one embedded (a row whose text changed meanwhile stays pending) and release the claims;
    how many vectors were written."""
    if not embedded:
        return 0
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.products p SET claimed_at = NULL,"
        " embedding = CASE WHEN p.content_hash = v.content_hash THEN v.embedding::vector"
        " ELSE p.embedding END, pending = p.pending AND p.content_hash <> v.content_hash,"
        " embedded_with = CASE WHEN p.content_hash = v.content_hash THEN %s"
        " ELSE p.embedded_with END"
        " FROM (SELECT unnest(%s::uuid[]) AS item_id, unnest(%s::text[]) AS content_hash,"
        " unnest(%s::text[]) AS embedding) v WHERE p.item_id = v.item_id"
        " RETURNING p.content_hash = v.content_hash",
        (model, [p.item_id for p, _ in embedded], [p.content_hash for p, _ in embedded],
         [_vector_text(vector) for _, vector in embedded]))
    return sum(1 for (written,) in await cur.fetchall() if written)


def _vector_text(vector: Sequence[float]) -> str:
    return "[" + ",".join(repr(float(x)) for x in vector) + "]"


async def count_pending(conn: AsyncConnection[Any], org_id: UUID) -> int:
    cur = await conn.execute(
        f"SELECT count(*) FROM {SCHEMA}.products WHERE {_VISIBLE} AND pending", (org_id,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def count_all_pending(conn: AsyncConnection[Any]) -> int:
    """Rows of every organization waiting for an embedding (excluded and trashed ones wait
    until they are visible again)."""
    cur = await conn.execute(
        f"SELECT count(*) FROM {SCHEMA}.products WHERE pending AND NOT excluded AND NOT trashed")
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def requeue_other_models(conn: AsyncConnection[Any], model: str) -> int:
    """Make pending again every row embedded with another model than `model` (the settings
    changed it); how many."""
    cur = await conn.execute(
        f"UPDATE {SCHEMA}.products SET pending = true WHERE NOT pending"
        " AND embedded_with IS DISTINCT FROM %s", (model,))
    return cur.rowcount

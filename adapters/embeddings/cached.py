"""Embedding through the cache: a text already embedded by the same model (and dimension) is
read back, never computed again; the rest go to the embedder in one call and are kept."""

import hashlib
from typing import Any

from psycopg import AsyncConnection

from adapters.embeddings import Embedder
from adapters.embeddings.off import NoEmbedder
from adapters.postgres import embedding_cache

QUERY_PREFIX = "query: "
"""Queries are kept apart from passages of the same words (e5 embeds them differently)."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def cache_model(embedder: Embedder) -> str:
    return f"{embedder.model}@{embedder.dimension}"


async def embed_passages(conn: AsyncConnection[Any], embedder: Embedder,
                         texts: list[str]) -> tuple[list[list[float]], int]:
    """The vectors of `texts`, in order, and how many of them had to be computed."""
    model = cache_model(embedder)
    hashes = [text_hash(text) for text in texts]
    known = await embedding_cache.get_many(conn, model, hashes)
    missing = list(dict.fromkeys(h for h in hashes if h not in known))
    if missing:
        first_text = {h: t for h, t in zip(hashes, texts, strict=True)}
        computed = await embedder.embed_passages([first_text[h] for h in missing])
        fresh = dict(zip(missing, computed, strict=True))
        await embedding_cache.put_many(conn, model, list(fresh.items()))
        known.update(fresh)
    return [known[h] for h in hashes], len(missing)


async def embed_query(conn: AsyncConnection[Any], embedder: Embedder,
                      text: str) -> list[float] | None:
    """The query's vector; None when embeddings are off (a search then ranks by words)."""
    if isinstance(embedder, NoEmbedder):
        return None
    model, key = cache_model(embedder), text_hash(QUERY_PREFIX + text)
    known = await embedding_cache.get_many(conn, model, [key])
    if key in known:
        return known[key]
    vector = await embedder.embed_query(text)
    await embedding_cache.put_many(conn, model, [(key, vector)])
    return vector

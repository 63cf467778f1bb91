"""The product-search relevance set and its measure, shared by the integration test and the
bench: the 147 configurable products of the real Magento export imported through the real
commands, indexed by the real projection and embedding worker, and graded queries in English,
German, French and Spanish (`fixtures/search/relevance.json`) ranked three ways through
`search_products` — hybrid, by meaning alone (a query of no words), by words alone (no
vector) — each scored by nDCG@10."""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
from collections.abc import Mapping, Sequence
from uuid import UUID

import psycopg

from adapters.catalog_files import read_catalog
from adapters.embeddings import Embedder
from adapters.postgres.event_log import read_log
from commands.bus import CommandBus
from domain.catalog.records import ProductRecord
from projections.runner import apply_batch
from projections.search.projection import ProductIndex
from projections.search.queries import search_products
from tests.integration.test_catalog_projection import Shop
from tests.support import ROOT
from workers.embeddings import EmbeddingWorker

FIXTURES = ROOT / "tests" / "fixtures"
CATALOG = FIXTURES / "catalogs" / "magento2-configurable-products-export.csv"
QUERIES = FIXTURES / "search" / "relevance.json"
K = 10
LEGS = ("hybrid", "vector", "keyword")


@dataclasses.dataclass(frozen=True)
class Query:
    lang: str
    text: str
    relevant: Mapping[str, int]
    """SKU → grade (2: what was asked for, 1: a fair answer); others count 0."""


@dataclasses.dataclass(frozen=True)
class Scores:
    per_query: Mapping[str, Sequence[float]]
    """Leg → nDCG@10 of each query, in the set's order."""
    queries: Sequence[Query]

    def mean(self, leg: str, lang: str | None = None) -> float:
        return statistics.fmean(s for s, q in zip(self.per_query[leg], self.queries, strict=True)
                                if lang is None or q.lang == lang)

    def languages(self) -> list[str]:
        return list(dict.fromkeys(q.lang for q in self.queries))

    def summary(self) -> str:
        lines = [f"nDCG@{K} over {len(self.queries)} queries: " + ", ".join(
            f"{leg} {self.mean(leg):.3f}" for leg in LEGS)]
        lines += [f"  {lang}: " + ", ".join(f"{leg} {self.mean(leg, lang):.3f}" for leg in LEGS)
                  for lang in self.languages()]
        return "\n".join(lines)


def load_queries() -> list[Query]:
    data = json.loads(QUERIES.read_text(encoding="utf-8"))
    return [Query(lang=q["lang"], text=q["query"], relevant=q["relevant"])
            for q in data["queries"]]


def catalog_products() -> list[ProductRecord]:
    """The export's configurable products (their variants repeat them, size by colour)."""
    with CATALOG.open("rb") as f:
        return [r for r in read_catalog("magento2", f, filename=CATALOG.name)
                if r.item_type == "parent"]


def ndcg(ranked: Sequence[str | None], relevant: Mapping[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain of the first `k` of `ranked` (gain 2^grade - 1)."""
    def dcg(grades: Sequence[int]) -> float:
        return sum((2.0 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    ideal = dcg(sorted(relevant.values(), reverse=True))
    return dcg([relevant.get(sku or "", 0) for sku in ranked]) / ideal if ideal else 0.0


async def index_catalog(bus: CommandBus, conn: psycopg.AsyncConnection, database_url: str,
                        embedder: Embedder) -> UUID:
    """A new organization holding the catalog, indexed and embedded; its id."""
    shop = Shop(bus)
    shop.manual(*catalog_products(), name="Luma")
    await apply_batch(conn, ProductIndex(), await read_log(conn, after=0, limit=1_000_000))
    worker = EmbeddingWorker(database_url, embedder)
    while await worker.embed_batch(conn):
        pass
    return shop.org


async def rankings(conn: psycopg.AsyncConnection, org: UUID, embedder: Embedder,
                   query: str) -> dict[str, list[str | None]]:
    """The first K SKUs of each leg for `query`."""
    vector = await embedder.embed_query(query)
    found = {
        "hybrid": await search_products(conn, org, query, vector, limit=K),
        "vector": await search_products(conn, org, "", vector, limit=K),
        "keyword": await search_products(conn, org, query, None, limit=K),
    }
    return {leg: [hit.sku for hit in hits] for leg, hits in found.items()}


async def evaluate(conn: psycopg.AsyncConnection, org: UUID, embedder: Embedder,
                   queries: Sequence[Query]) -> Scores:
    per_query: dict[str, list[float]] = {leg: [] for leg in LEGS}
    for query in queries:
        ranked = await rankings(conn, org, embedder, query.text)
        for leg in LEGS:
            per_query[leg].append(ndcg(ranked[leg], query.relevant))
    return Scores(per_query=per_query, queries=queries)

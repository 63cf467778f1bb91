"""Relevance of product search on the real Magento catalog with the offline model: hybrid
retrieval ranks the graded queries (English, German, French, Spanish) better by nDCG@10 than
either of its legs alone."""

import psycopg

from adapters.embeddings.local import LocalE5Embedder
from adapters.settings import Settings
from commands.bus import CommandBus
from tests.relevance import evaluate, index_catalog, load_queries, ndcg


def test_ndcg_rewards_the_best_products_first() -> None:
    labels = {"A": 2, "B": 1}
    assert ndcg(["A", "B", "C"], labels) == 1.0
    assert ndcg(["C", "D"], labels) == 0.0
    assert ndcg(["B", "A"], labels) < ndcg(["A", "C", "B"], labels) < 1.0


async def test_hybrid_search_beats_vectors_alone_and_words_alone_by_ndcg_at_10(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    embedder = LocalE5Embedder()
    org = await index_catalog(bus, conn, database.database_url, embedder)
    scores = await evaluate(conn, org, embedder, load_queries())
    print("\n" + scores.summary())
    hybrid, vector, keyword = (scores.mean(leg) for leg in ("hybrid", "vector", "keyword"))
    assert hybrid > vector and hybrid > keyword, scores.summary()

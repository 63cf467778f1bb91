"""The index knows the model of each vector: rows embedded with one model are embedded again
when the settings name another (by `copydesk search backfill` or the worker), and a search by
meaning never compares a query of one model with rows of another."""

import asyncio
import dataclasses
from uuid import UUID, uuid4

import psycopg

from adapters.embeddings.cached import cache_model
from adapters.embeddings.factory import embedder_for
from adapters.settings import Settings
from projections.search.page_queries import retrieve_pages
from projections.search.queries import search_products
from tests.fakes.embeddings_server import FakeEmbeddings
from workers.backfill import backfill
from workers.embeddings import EmbeddingWorker

PRODUCTS = [("Cotton hoodie", "A warm hooded sweatshirt with a kangaroo pocket."),
            ("Coffee mug", "A glazed stoneware mug for coffee and tea."),
            ("Leather belt", "A full-grain leather belt with a brass buckle.")]
MODEL_A, MODEL_B = "text-embedding-3-small", "text-embedding-3-large"


def index(database_url: str) -> UUID:
    org = uuid4()
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name, description in PRODUCTS:
            conn.execute(
                "INSERT INTO rm_search.products (item_id, org_id, project_id, source_id, name,"
                " description) VALUES (%s, %s, %s, %s, %s, %s)",
                (uuid4(), org, uuid4(), uuid4(), name, description))
        conn.execute(
            "INSERT INTO rm_search.pages (page_id, org_id, url, title, content, content_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            ("a" * 24, org, "https://shop.example/hoodie", "Hoodie care",
             "How to wash a cotton hoodie.", "hash-a"))
    return org


def models(database_url: str) -> tuple[set[str | None], set[str | None]]:
    with psycopg.connect(database_url) as conn:
        products = {r[0] for r in conn.execute(
            "SELECT embedded_with FROM rm_search.products WHERE NOT pending").fetchall()}
        pages = {r[0] for r in conn.execute(
            "SELECT embedded_with FROM rm_search.pages WHERE status = 'INDEXED'").fetchall()}
    return products, pages


async def by_meaning(settings: Settings, org: UUID, text: str) -> tuple[list[str], list[str]]:
    """Names of the products and urls of the pages found for `text` (words that match no row,
    so only the vectors rank) with the settings' model."""
    embedder = embedder_for(settings)
    try:
        vector = await embedder.embed_query(text)
        async with await psycopg.AsyncConnection.connect(settings.database_url,
                                                         autocommit=True) as conn:
            products = await search_products(conn, org, "zzzq", vector,
                                             model=cache_model(embedder))
            pages = await retrieve_pages(conn, org, "zzzq", vector, model=cache_model(embedder))
    finally:
        await embedder.close()
    return [h.name for h in products], [h.url for h in pages]


def test_a_changed_model_embeds_every_row_again_and_search_never_mixes_models(
    database: Settings, fake_embeddings: FakeEmbeddings,
) -> None:
    first = dataclasses.replace(database, embeddings_provider="openai",
                                openai_base_url=fake_embeddings.openai_base_url,
                                openai_api_key="platform-key", embeddings_model=MODEL_A)
    second = dataclasses.replace(first, embeddings_model=MODEL_B)
    org = index(first.database_url)
    assert asyncio.run(backfill(first, lambda _: None, tty=False)) == 0
    assert models(first.database_url) == ({f"{MODEL_A}@384"}, {f"{MODEL_A}@384"})
    products, pages = asyncio.run(by_meaning(first, org, "warm sweatshirt with a hood"))
    assert products[0] == "Cotton hoodie" and pages == ["https://shop.example/hoodie"]

    async def requeue() -> int:
        embedder = embedder_for(second)
        worker = EmbeddingWorker(second.database_url, embedder)
        async with await psycopg.AsyncConnection.connect(second.database_url,
                                                         autocommit=True) as conn:
            requeued = await worker.requeue_other_models(conn)
        await embedder.close()
        return requeued
    assert asyncio.run(requeue()) == len(PRODUCTS) + 1
    assert models(first.database_url) == (set(), set())
    # Not embedded again yet: a query of model B compares with no row of model A.
    assert asyncio.run(by_meaning(second, org, "warm sweatshirt with a hood")) == ([], [])

    fake_embeddings.reset()
    assert asyncio.run(backfill(second, lambda _: None, tty=False)) == 0
    assert models(first.database_url) == ({f"{MODEL_B}@384"}, {f"{MODEL_B}@384"})
    assert {r.model for r in fake_embeddings.requests} == {MODEL_B}
    products, pages = asyncio.run(by_meaning(second, org, "warm sweatshirt with a hood"))
    assert products[0] == "Cotton hoodie" and pages == ["https://shop.example/hoodie"]
    assert asyncio.run(requeue()) == 0

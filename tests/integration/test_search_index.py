"""The product index on the real PostgreSQL + pgvector: the projection keeps the text to embed
and marks what changed, the embedding worker fills vectors through the cache, and hybrid search
uses the HNSW index, returns `k` rows under a filter and never another organization's."""

import asyncio
import random
from decimal import Decimal
from uuid import UUID, uuid4

import numpy as np
import psycopg

from adapters.embeddings.cached import cache_model
from adapters.embeddings.local import LocalE5Embedder
from adapters.postgres import embedding_cache
from adapters.postgres.event_log import read_log
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.catalog.items import ExcludeItems, exclude_items
from commands.catalog.projects import TrashProject, trash_project
from commands.generation.results import RecordGeneration, record_generation
from domain.catalog.ids import item_id
from domain.catalog.records import ProductRecord
from domain.generation.settings import GeneratedTexts, Validation
from projections.runner import apply_batch
from projections.search.projection import ProductIndex
from projections.search.queries import count_pending, explain_vector_search, search_products
from projections.verify import differences
from tests.integration.test_catalog_projection import Shop
from workers.embeddings import EmbeddingWorker

INDEX = ProductIndex()
E5 = LocalE5Embedder()


def product(external_id: str, name: str, description: str) -> ProductRecord:
    return ProductRecord(external_id=external_id, item_type="simple", parent_external_id=None,
                         name=name, line=2, source_data={
                             "sku": external_id, "price": "59.90", "description": description,
                             "categories": ["Men/Hoodies"], "images": ["https://x.test/h.jpg"]})


async def catch_up(conn: psycopg.AsyncConnection) -> None:
    await apply_batch(conn, INDEX, await read_log(conn, after=0, limit=1_000_000))


async def row(conn: psycopg.AsyncConnection, item: UUID) -> tuple[str, str, bool]:
    cur = await conn.execute(
        "SELECT text, content_hash, pending FROM rm_search.products WHERE item_id = %s", (item,))
    found = await cur.fetchone()
    assert found is not None
    return found[0], found[1], found[2]


async def test_changed_text_is_pending_and_unchanged_text_is_never_embedded_twice(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    shop = Shop(bus)
    source = shop.manual(product("HOOD", "Zip hoodie", "<p>Warm <b>fleece</b> hoodie</p>"),
                         product("MUG", "Coffee mug", "Stoneware mug"))
    hoodie, mug = item_id(source, "HOOD"), item_id(source, "MUG")
    await catch_up(conn)
    assert (await row(conn, hoodie))[0] == "Zip hoodie\nWarm fleece hoodie"
    assert await count_pending(conn, shop.org) == 2

    worker = EmbeddingWorker(database.database_url, E5)
    assert await worker.embed_batch(conn) == 2 and await worker.embed_batch(conn) == 0
    assert (worker.embedded, worker.computed) == (2, 2)
    text, first_hash, pending = await row(conn, hoodie)
    assert not pending

    shop.run(record_generation, RecordGeneration(
        **shop.ids, item_id=hoodie, job_id=uuid4(),
        texts=GeneratedTexts(name="Zip hoodie", short_description="A cosy hoodie."),
        validation=Validation(confidence_score=0.9, reasons=()), provider="template",
        model="template-writer", tier="economy", input_tokens=1, output_tokens=1,
        xct_cost=Decimal("1"), cached=False, prompt_key="p"))
    await catch_up(conn)
    text, second_hash, pending = await row(conn, hoodie)
    assert (text, pending) == ("Zip hoodie\nA cosy hoodie.", True) and second_hash != first_hash
    assert not (await row(conn, mug))[2]  # the mug's text did not change
    assert await worker.embed_batch(conn) == 1 and worker.computed == 3

    # a rebuild leaves every row pending; the vectors come back from the cache
    await conn.execute("UPDATE rm_search.products SET pending = true, embedding = NULL")
    assert await worker.embed_batch(conn) == 2 and worker.computed == 3
    assert await embedding_cache.count(conn, cache_model(E5)) == 3
    assert await differences(conn, INDEX) == []


async def test_excluded_items_and_trashed_projects_are_not_found(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    shop = Shop(bus)
    source = shop.manual(product("HOOD", "Zip hoodie", "Warm hoodie"),
                         product("CAP", "Baseball cap", "Cotton cap"))
    await catch_up(conn)
    await EmbeddingWorker(database.database_url, E5).embed_batch(conn)
    vector = await E5.embed_query("hoodie")
    found = await search_products(conn, shop.org, "hoodie", vector)
    assert found[0].item_id == item_id(source, "HOOD") and found[0].price == Decimal("59.90")
    assert (found[0].category, found[0].image_url) == ("Hoodies", "https://x.test/h.jpg")

    shop.run(exclude_items, ExcludeItems(**shop.ids, item_ids=[item_id(source, "HOOD")]))
    await catch_up(conn)
    assert [h.item_id for h in await search_products(conn, shop.org, "hoodie", vector)] == \
        [item_id(source, "CAP")]
    shop.run(trash_project, TrashProject(**shop.ids))
    await catch_up(conn)
    assert await search_products(conn, shop.org, "hoodie", vector) == []
    assert await differences(conn, INDEX) == []


async def test_two_workers_share_the_pending_rows_without_embedding_one_twice(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    shop = Shop(bus)
    shop.manual(*(product(f"P{n}", f"Product {n}", f"Description number {n}") for n in range(6)))
    await catch_up(conn)
    first = EmbeddingWorker(database.database_url, E5, batch=3)
    second = EmbeddingWorker(database.database_url, E5, batch=3)
    async with await psycopg.AsyncConnection.connect(database.database_url,
                                                     autocommit=True) as other:
        done = await asyncio.gather(first.embed_batch(conn), second.embed_batch(other))
    assert list(done) == [3, 3]
    assert (first.computed, second.computed) == (3, 3)
    assert await count_pending(conn, shop.org) == 0
    assert await embedding_cache.count(conn, cache_model(E5)) == 6
    assert await scalar_of(conn, "SELECT count(*) FROM rm_search.products"
                                 " WHERE claimed_at IS NOT NULL") == 0


async def scalar_of(conn: psycopg.AsyncConnection, query: str) -> object:
    cur = await conn.execute(query)
    found = await cur.fetchone()
    return None if found is None else found[0]


def unit_vectors(n: int, rng: np.random.Generator) -> list[list[float]]:
    rows = rng.standard_normal((n, 384)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).tolist()  # type: ignore[no-any-return]


async def fill(conn: psycopg.AsyncConnection, org: UUID, project: UUID, n: int,
               rng: np.random.Generator) -> None:
    rows = [(uuid4(), org, project, project, f"Product {random.random():.6f}", vector)
            for vector in unit_vectors(n, rng)]
    async with conn.cursor() as cur:
        await cur.executemany(
            "INSERT INTO rm_search.products (item_id, org_id, project_id, source_id, name,"
            " embedding, pending) VALUES (%s, %s, %s, %s, %s, %s::real[]::vector, false)", rows)


async def test_hybrid_search_uses_hnsw_keeps_k_under_a_filter_and_stays_in_its_org(
    conn: psycopg.AsyncConnection,
) -> None:
    rng = np.random.default_rng(7)
    org, other = uuid4(), uuid4()
    big, small = uuid4(), uuid4()
    await fill(conn, org, big, 2700, rng)
    await fill(conn, org, small, 300, rng)  # a 10 % filter
    await fill(conn, other, uuid4(), 1000, rng)
    await conn.execute("ANALYZE rm_search.products")
    query = unit_vectors(1, rng)[0]

    plan = await explain_vector_search(conn, org, query)
    assert "products_embedding" in plan, plan
    hits = await search_products(conn, org, "nothing matches these words", query, limit=10,
                                 project_ids=[small], exact_below=0)  # the index, filtered
    assert len(hits) == 10 and {h.project_id for h in hits} == {small}
    everything = await search_products(conn, org, "Product", query, limit=100)
    assert len(everything) == 100 and {h.project_id for h in everything} <= {big, small}
    cur = await conn.execute("SELECT item_id FROM rm_search.products WHERE org_id = %s", (other,))
    theirs = {r[0] for r in await cur.fetchall()}
    assert not theirs & {h.item_id for h in everything}
    assert await search_products(conn, uuid4(), "Product", query) == []


async def test_a_very_selective_filter_is_searched_exactly_and_finds_the_true_nearest(
    conn: psycopg.AsyncConnection,
) -> None:
    rng = np.random.default_rng(11)
    org, big, tiny = uuid4(), uuid4(), uuid4()
    await fill(conn, org, big, 3000, rng)
    await fill(conn, org, tiny, 15, rng)  # 0.5 % of the organization's rows
    await conn.execute("ANALYZE rm_search.products")
    query = unit_vectors(1, rng)[0]

    plan = await explain_vector_search(conn, org, query, project_ids=[tiny])
    assert "products_embedding" not in plan, plan
    assert "products_embedding" in await explain_vector_search(conn, org, query,
                                                               project_ids=[big])
    hits = await search_products(conn, org, "nothing matches these words", query, limit=10,
                                 project_ids=[tiny])
    cur = await conn.execute(
        "SELECT item_id FROM rm_search.products WHERE project_id = %s"
        " ORDER BY (embedding <=> %s::real[]::vector) + 0 LIMIT 10", (tiny, query))  # no index
    nearest = [r[0] for r in await cur.fetchall()]
    assert [h.item_id for h in hits] == nearest

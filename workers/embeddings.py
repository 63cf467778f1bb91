"""The embedding worker: takes pending rows of the product index in batches, embeds their
text through the cache and writes the vectors, outside any projection transaction. Each worker
claims its rows, so several worker processes share the work; while the embedder works on a
batch, the next one is claimed and the one before written. A row whose text changed
meanwhile keeps its pending flag (the write matches the content hash). When the provider is
unavailable it waits as long as the provider asked, then tries again.

Pages of the page index go the same way, with a status: PROCESSING while claimed, INDEXED
once embedded, ERROR with the reason when embedding failed — tried again after a backoff
that doubles with each failure."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

import psycopg
import structlog

from adapters.embeddings import Embedder
from adapters.embeddings.cached import embed_passages
from adapters.embeddings.factory import embedder_for
from adapters.settings import Settings
from domain.errors import UnavailableError
from projections.search.page_queries import (
    claim_pending_pages,
    record_page_embeddings,
    record_page_failure,
    release_page_claims,
)
from projections.search.queries import claim_pending, record_embeddings, release_claims

log = structlog.get_logger("copydesk.embeddings")
BATCH = 64
ROUND_BATCHES = 16
"""Batches of one index in a row before the worker looks at the other."""
IDLE_SECONDS = 0.5
RETRY_BASE_SECONDS = 2.0


class _Lane(NamedTuple):
    """How the worker takes, writes and hands back the rows of one index."""

    kind: str
    claim: Callable[[psycopg.AsyncConnection, int], Awaitable[Sequence[Any]]]
    record: Callable[[psycopg.AsyncConnection, Sequence[tuple[Any, Sequence[float]]]],
                     Awaitable[int]]
    release: Callable[[psycopg.AsyncConnection, Sequence[Any]], Awaitable[None]]
    keeps_failures: bool
    """A failure to embed is kept on the rows (pages: ERROR, tried again) instead of raised."""


PRODUCTS = _Lane("products", claim_pending, record_embeddings, release_claims, False)
PAGES = _Lane("pages", claim_pending_pages, record_page_embeddings, release_page_claims, True)


class EmbeddingWorker:
    def __init__(self, database_url: str, embedder: Embedder, *, batch: int = BATCH,
                 idle_seconds: float = IDLE_SECONDS,
                 retry_base_seconds: float = RETRY_BASE_SECONDS) -> None:
        self.database_url = database_url
        self.embedder = embedder
        self.batch = batch
        self.idle_seconds = idle_seconds
        self.retry_base_seconds = retry_base_seconds
        self.embedded = 0
        self.computed = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Embed until `stop` is set; a lost connection or a failing provider is waited out."""
        while not stop.is_set():
            pause = self.idle_seconds
            try:
                async with await psycopg.AsyncConnection.connect(
                        self.database_url, autocommit=True) as conn:
                    while not stop.is_set() and (
                            await self._pipeline(conn, PRODUCTS, ROUND_BATCHES, stop)
                            + await self._pipeline(conn, PAGES, ROUND_BATCHES, stop)):
                        pass
            except UnavailableError as error:
                pause = float(error.retry_after or 5)
                log.warning("embedding_provider_unavailable", error=str(error), retry_in=pause)
            except Exception as error:
                pause = 1.0
                log.warning("embedding_worker_interrupted", error=repr(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)

    async def embed_batch(self, conn: psycopg.AsyncConnection) -> int:
        """Embed one batch of pending rows; how many were claimed (0: nothing pending)."""
        return await self._pipeline(conn, PRODUCTS, 1)

    async def embed_pages(self, conn: psycopg.AsyncConnection) -> int:
        """Embed one batch of pending pages; how many were claimed (0: nothing due). A
        failure is kept on the pages as their ERROR, not raised."""
        return await self._pipeline(conn, PAGES, 1)

    async def _pipeline(self, conn: psycopg.AsyncConnection, lane: _Lane, batches: int,
                        stop: asyncio.Event | None = None) -> int:
        """Up to `batches` batches of `lane`, overlapped: while the embedder works on one
        batch (outside the event loop), the next is claimed and the one before is written,
        so the model never waits for the database. How many rows were claimed."""
        current = list(await lane.claim(conn, self.batch))
        following: list[Any] = []
        task = self._start(conn, current) if current else None
        claimed = 0
        try:
            while task is not None:
                claimed += len(current)
                more = claimed < batches * self.batch and not (stop and stop.is_set())
                following = list(await lane.claim(conn, self.batch)) if more else []
                try:
                    result: tuple[list[list[float]], int, float] | Exception = await task
                except Exception as error:
                    if not lane.keeps_failures:
                        raise
                    result = error
                task = self._start(conn, following) if following else None
                await self._write(conn, lane, current, result)
                current, following = following, []
        except BaseException:
            if task is not None:
                task.cancel()
            await asyncio.shield(lane.release(conn, current + following))
            raise
        return claimed

    def _start(self, conn: psycopg.AsyncConnection,
               rows: Sequence[Any]) -> asyncio.Task[tuple[list[list[float]], int, float]]:
        async def vectors() -> tuple[list[list[float]], int, float]:
            started = time.perf_counter()
            found, computed = await embed_passages(conn, self.embedder, [r.text for r in rows])
            return found, computed, time.perf_counter() - started
        return asyncio.create_task(vectors())

    async def _write(self, conn: psycopg.AsyncConnection, lane: _Lane, rows: Sequence[Any],
                     result: tuple[list[list[float]], int, float] | Exception) -> None:
        if isinstance(result, Exception):
            reason = str(result) or type(result).__name__
            await record_page_failure(conn, rows, reason, base_seconds=self.retry_base_seconds)
            log.warning("pages_embedding_failed", pages=len(rows), error=reason)
            return
        vectors, computed, seconds = result
        written = await lane.record(conn, list(zip(rows, vectors, strict=True)))
        self.embedded += written
        self.computed += computed
        log.info(f"{lane.kind}_embedded", rows=written, computed=computed,
                 seconds=round(seconds, 3))


async def run_embeddings(settings: Settings, stop: asyncio.Event) -> None:
    if settings.embeddings_provider == "off":
        log.info("embeddings_off")
        return
    embedder = embedder_for(settings)
    try:
        await EmbeddingWorker(settings.database_url, embedder).run(stop)
    finally:
        await embedder.close()

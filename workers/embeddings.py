"""The embedding worker: takes pending rows of the product index in batches, embeds their
text through the cache and writes the vectors, outside any projection transaction. Each worker
claims its rows, so several worker processes share the work. A row whose text changed
meanwhile keeps its pending flag (the write matches the content hash). When the provider is
unavailable it waits as long as the provider asked, then tries again.

Pages of the page index go the same way, with a status: PROCESSING while claimed, INDEXED
once embedded, ERROR with the reason when embedding failed — tried again after a backoff
that doubles with each failure."""

import asyncio
import contextlib
import time

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
IDLE_SECONDS = 0.5
RETRY_BASE_SECONDS = 2.0


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
                    while not stop.is_set() and (await self.embed_batch(conn)
                                                 + await self.embed_pages(conn)):
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
        """Embed one batch of pending rows; how many were written (0: nothing pending)."""
        pending = await claim_pending(conn, self.batch)
        if not pending:
            return 0
        started = time.perf_counter()
        try:
            vectors, computed = await embed_passages(conn, self.embedder,
                                                     [p.text for p in pending])
        except BaseException:
            await asyncio.shield(release_claims(conn, pending))
            raise
        written = await record_embeddings(conn, list(zip(pending, vectors, strict=True)))
        self.embedded += written
        self.computed += computed
        log.info("products_embedded", rows=written, computed=computed,
                 seconds=round(time.perf_counter() - started, 3))
        return len(pending)

    async def embed_pages(self, conn: psycopg.AsyncConnection) -> int:
        """Embed one batch of pending pages; how many were claimed (0: nothing due). A
        failure is kept on the pages as their ERROR, not raised."""
        pending = await claim_pending_pages(conn, self.batch)
        if not pending:
            return 0
        try:
            vectors, computed = await embed_passages(conn, self.embedder,
                                                     [p.text for p in pending])
        except Exception as error:
            reason = str(error) or type(error).__name__
            await asyncio.shield(record_page_failure(conn, pending, reason,
                                                     base_seconds=self.retry_base_seconds))
            log.warning("pages_embedding_failed", pages=len(pending), error=reason)
            return len(pending)
        except BaseException:
            await asyncio.shield(release_page_claims(conn, pending))
            raise
        written = await record_page_embeddings(conn, list(zip(pending, vectors, strict=True)))
        self.embedded += written
        self.computed += computed
        log.info("pages_embedded", pages=written, computed=computed)
        return len(pending)


async def run_embeddings(settings: Settings, stop: asyncio.Event) -> None:
    if settings.embeddings_provider == "off":
        log.info("embeddings_off")
        return
    embedder = embedder_for(settings)
    try:
        await EmbeddingWorker(settings.database_url, embedder).run(stop)
    finally:
        await embedder.close()

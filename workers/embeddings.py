"""The embedding worker: takes pending rows of the product index in batches, embeds their
text through the cache and writes the vectors, outside any projection transaction. Each worker
claims its rows, so several worker processes share the work. A row whose text changed
meanwhile keeps its pending flag (the write matches the content hash). When the provider is
unavailable it waits as long as the provider asked, then tries again.

Pages of the page index go the same way, with a status: PROCESSING while claimed, INDEXED
once embedded, ERROR with the reason when embedding failed — tried again after a backoff
that doubles with each failure.

A batch is embedded organization by organization: each through its own embedder
(`OrganizationEmbedders`: its own OpenAI key when it has one, else the platform's), so one
organization's failing key holds up only its own rows."""

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

import psycopg
import structlog

from adapters.embeddings import Embedder
from adapters.embeddings.cached import cache_model, embed_passages
from adapters.embeddings.factory import embedder_for
from adapters.embeddings.organization import OrganizationEmbedders
from adapters.settings import Settings
from domain.errors import UnavailableError
from projections.search.page_queries import (
    PendingPage,
    claim_pending_pages,
    record_page_embeddings,
    record_page_failure,
    release_page_claims,
    requeue_other_model_pages,
)
from projections.search.queries import (
    PendingProduct,
    claim_pending,
    record_embeddings,
    release_claims,
    requeue_other_models,
)

log = structlog.get_logger("copydesk.embeddings")
BATCH = 64
IDLE_SECONDS = 0.5
RETRY_BASE_SECONDS = 2.0
Row = TypeVar("Row", PendingProduct, PendingPage)


def by_organization(rows: Sequence[Row]) -> dict[UUID, list[Row]]:
    groups: dict[UUID, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.org_id, []).append(row)
    return groups


class EmbeddingWorker:
    def __init__(self, database_url: str, embedder: Embedder, *, batch: int = BATCH,
                 idle_seconds: float = IDLE_SECONDS,
                 retry_base_seconds: float = RETRY_BASE_SECONDS) -> None:
        self.database_url = database_url
        self.embedder = embedder
        self.embedders = OrganizationEmbedders(embedder)
        """Per organization (`embedder` for every one unless `of_organizations` made it)."""
        self.batch = batch
        self.idle_seconds = idle_seconds
        self.retry_base_seconds = retry_base_seconds
        self.embedded = 0
        self.computed = 0

    @classmethod
    def of_organizations(cls, database_url: str,
                         embedders: OrganizationEmbedders) -> "EmbeddingWorker":
        """A worker embedding each organization's texts through its own embedder."""
        worker = cls(database_url, embedders.platform)
        worker.embedders = embedders
        return worker

    async def run(self, stop: asyncio.Event) -> None:
        """Embed until `stop` is set; a lost connection or a failing provider is waited out."""
        while not stop.is_set():
            pause = self.idle_seconds
            try:
                async with await psycopg.AsyncConnection.connect(
                        self.database_url, autocommit=True) as conn:
                    await self.requeue_other_models(conn)
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

    async def requeue_other_models(self, conn: psycopg.AsyncConnection) -> int:
        """Rows and pages embedded with another model than this worker's are pending again
        (the settings changed the model); how many."""
        model = cache_model(self.embedder)
        count = await requeue_other_models(conn, model) + await requeue_other_model_pages(
            conn, model)
        if count:
            log.info("embedding_model_changed", model=model, requeued=count)
        return count

    async def embed_batch(self, conn: psycopg.AsyncConnection) -> int:
        """Embed one batch of pending rows; how many were claimed (0: nothing pending). The
        rows of an organization whose provider failed are handed back, and once the others
        are written the first such failure is raised."""
        pending = await claim_pending(conn, self.batch)
        if not pending:
            return 0
        started = time.perf_counter()
        failure: Exception | None = None
        groups = list(by_organization(pending).items())
        for done, (org_id, rows) in enumerate(groups):
            try:
                embedder = await self.embedders.for_org(conn, org_id)
                vectors, computed = await embed_passages(conn, embedder, [p.text for p in rows])
            except Exception as error:
                await asyncio.shield(release_claims(conn, rows))
                log.warning("products_embedding_failed", org_id=str(org_id), rows=len(rows),
                            error=str(error) or type(error).__name__)
                failure = failure or error
                continue
            except BaseException:
                await asyncio.shield(release_claims(
                    conn, [row for _, left in groups[done:] for row in left]))
                raise
            written = await record_embeddings(conn, list(zip(rows, vectors, strict=True)),
                                              cache_model(embedder))
            self.embedded += written
            self.computed += computed
            log.info("products_embedded", org_id=str(org_id), rows=written, computed=computed,
                     seconds=round(time.perf_counter() - started, 3))
        if failure is not None:
            raise failure
        return len(pending)

    async def embed_pages(self, conn: psycopg.AsyncConnection) -> int:
        """Embed one batch of pending pages; how many were claimed (0: nothing due). A
        failure is kept on the pages as their ERROR, not raised."""
        pending = await claim_pending_pages(conn, self.batch)
        if not pending:
            return 0
        groups = list(by_organization(pending).items())
        for done, (org_id, pages) in enumerate(groups):
            try:
                embedder = await self.embedders.for_org(conn, org_id)
                vectors, computed = await embed_passages(conn, embedder, [p.text for p in pages])
            except Exception as error:
                reason = str(error) or type(error).__name__
                await asyncio.shield(record_page_failure(conn, pages, reason,
                                                         base_seconds=self.retry_base_seconds))
                log.warning("pages_embedding_failed", org_id=str(org_id), pages=len(pages),
                            error=reason)
                continue
            except BaseException:
                await asyncio.shield(release_page_claims(
                    conn, [page for _, left in groups[done:] for page in left]))
                raise
            written = await record_page_embeddings(conn, list(zip(pages, vectors, strict=True)),
                                                   cache_model(embedder))
            self.embedded += written
            self.computed += computed
            log.info("pages_embedded", org_id=str(org_id), pages=written, computed=computed)
        return len(pending)


def organization_embedders(settings: Settings) -> OrganizationEmbedders:
    """The platform's embedder of the settings, and organizations' own OpenAI keys."""
    return OrganizationEmbedders(embedder_for(settings), settings)


async def run_embeddings(settings: Settings, stop: asyncio.Event) -> None:
    if settings.embeddings_provider == "off":
        log.info("embeddings_off")
        return
    embedders = organization_embedders(settings)
    try:
        await EmbeddingWorker.of_organizations(settings.database_url, embedders).run(stop)
    finally:
        await embedders.close()

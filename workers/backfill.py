"""`copydesk search backfill`: embed now whatever the index is missing, with progress — after
a rebuild of the search read model, or to fill an index before the API opens. It takes the
embedding worker's own batches (claims, the cache, failures kept on the pages as ERROR), so it
runs safely beside running workers, and ends when nothing is left that is due."""

from collections.abc import Callable

import psycopg

from adapters.settings import Settings
from domain.errors import UnavailableError
from projections.search.page_queries import count_unindexed_pages
from projections.search.queries import count_all_pending
from workers.embeddings import EmbeddingWorker, organization_embedders

BAR_WIDTH = 30


def progress_line(done: int, total: int, *, tty: bool) -> str:
    """`[#####-----] 120/500` redrawn in place on a terminal; a plain line otherwise."""
    if not tty:
        return f"embedded {done} of {total}\n"
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"


async def backfill(settings: Settings, write: Callable[[str], None], *, tty: bool) -> int:
    """Embed every pending product and page; how many are still not indexed at the end
    (pages that failed and wait for their retry)."""
    if settings.embeddings_provider == "off":
        raise SystemExit("copydesk: embeddings are off (COPYDESK_EMBEDDINGS=off):"
                         " nothing can be embedded")
    embedders = organization_embedders(settings)
    worker = EmbeddingWorker.of_organizations(settings.database_url, embedders)
    try:
        async with await psycopg.AsyncConnection.connect(settings.database_url,
                                                         autocommit=True) as conn:
            await worker.requeue_other_models(conn)
            total = await count_all_pending(conn) + await count_unindexed_pages(conn)
            done = 0
            write(progress_line(done, total, tty=tty))
            while batch := await worker.embed_batch(conn) + await worker.embed_pages(conn):
                done = min(total, done + batch)
                write(progress_line(done, total, tty=tty))
            left = await count_all_pending(conn) + await count_unindexed_pages(conn)
    except UnavailableError as error:
        raise SystemExit(f"copydesk: the embedding provider is unavailable: {error}") from None
    finally:
        await embedders.close()
    write(("\n" if tty else "") + f"{done} embedded, {left} not indexed"
          + (" (failed pages wait for their retry)\n" if left else "\n"))
    return left

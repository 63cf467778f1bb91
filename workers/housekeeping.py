"""The background worker: the job engine, mail delivery, the embedding worker, and beside them
the housekeeping that forgets what has expired (idempotency records, login failures, refresh
tokens, e-mailed 2FA codes, mail given up on a month ago, request windows, old cached vectors)."""

import asyncio
import contextlib

import psycopg
import structlog

from adapters.postgres import (
    email_outbox,
    embedding_cache,
    idempotency_keys,
    rate_windows,
    refresh_tokens,
    throttles,
    two_factor_codes,
)
from adapters.settings import Settings
from commands.jobs.kind import JobKind
from workers.embeddings import run_embeddings
from workers.jobs.engine import run_jobs
from workers.mail import run_mail_delivery

log = structlog.get_logger("copydesk.worker")
EVERY_SECONDS = 600.0

PURGES = [idempotency_keys.purge_expired, throttles.purge_expired, refresh_tokens.purge_expired,
          two_factor_codes.purge_expired, email_outbox.purge_expired, rate_windows.purge_expired,
          embedding_cache.purge_expired]
"""What each table's owner forgets as expired."""


async def purge_expired(database_url: str) -> int:
    removed = 0
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        for purge in PURGES:
            removed += await purge(conn)
    return removed


async def run_worker(settings: Settings, kinds: dict[str, JobKind], stop: asyncio.Event) -> None:
    """What `copydesk worker` runs: jobs of `kinds`, mail delivery, the embedding of the
    product index, and housekeeping."""
    await asyncio.gather(run_jobs(settings, kinds, stop), run_mail_delivery(settings, stop),
                         run_embeddings(settings, stop), run_housekeeping(settings, stop))


async def run_housekeeping(settings: Settings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            removed = await purge_expired(settings.database_url)
            log.info("expired_rows_purged", rows=removed)
        except Exception as error:
            log.warning("housekeeping_failed", error=repr(error))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), EVERY_SECONDS)

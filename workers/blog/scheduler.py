"""`copydesk blog-scheduler`: publishes the blog posts whose scheduled time has come.

The schedule is in the event store and its read model (`rm_blog.blog_posts`), never only in
memory: a scheduler that starts (again) first publishes whatever fell due while none ran.
It wakes when the blog read model changes (its NOTIFY), when the next post falls due, and at
least every `poll_seconds`. Up to `concurrency` posts call WordPress at once, and twice as
many are under way: while some wait on WordPress the next ones' attempts are recorded, taken a
batch at a time (their connection read once, their attempts recorded together). Several
schedulers may run: each post is published under its advisory lock (`Publisher`), and the
post itself refuses an attempt once it is no longer due, so a post is published once; the
WordPress lookup of an earlier attempt's post is the last guard.
"""

import asyncio
import contextlib
import time
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
import structlog
from psycopg_pool import AsyncConnectionPool

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.blog.publish_sites import SiteMemo
from commands.blog.publisher import Publisher, RetryPolicy, blog_policy
from commands.blog.publishing import StartPublish
from commands.bus import CommandBus
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.events import utcnow
from domain.log import EventMeta
from projections.blog.schedule_queries import DuePost, due_posts, next_due_at

log = structlog.get_logger("copydesk.blog_scheduler")
META = EventMeta(actor_type="system", actor_id="blog-scheduler")
CHANNEL = "projection_advanced"
UNKNOWN = UUID(int=0)
"""A scheduled post without a connection (none such is recorded): given up as deleted."""
FORGET_SECONDS = 30.0
"""How long a post just handled is passed over while the read model still shows it due at
the same time (it has not caught up); a new due time (a retry) is taken at once."""


class BlogScheduler:
    def __init__(self, publisher: Publisher, pool: AsyncConnectionPool[Any], database_url: str,
                 *, concurrency: int = 8, poll_seconds: float = 0.5) -> None:
        self.publisher = publisher
        self.database_url = database_url
        self.pool = pool
        self.concurrency = concurrency
        """Posts under way at once (`Publisher.calls` bounds the WordPress calls)."""
        self.poll_seconds = poll_seconds
        self.running: dict[UUID, asyncio.Task[None]] = {}
        self.handled: dict[UUID, tuple[datetime, float]] = {}
        self.wake = asyncio.Event()
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        listener = asyncio.create_task(self._listen(stop))
        try:
            while not stop.is_set():
                try:
                    await self.publish_due()
                except Exception as error:  # the database went away: try again soon
                    log.warning("blog_scheduler_poll_failed", error=repr(error))
                await self._sleep(stop)
        finally:
            listener.cancel()
            if self.running:  # let attempts under way record their outcome
                await asyncio.wait(list(self.running.values()), timeout=10)

    def _free(self) -> int:
        """Slots a pass may fill: none until half are free, so that posts are taken (their
        connections read, their attempts recorded) a batch at a time."""
        free = self.concurrency - len(self.running)
        return free if free >= max(1, self.concurrency // 2) else 0

    async def publish_due(self) -> None:
        """Start publishing each due post that a free slot can take."""
        now = time.monotonic()
        self.handled = {k: seen for k, seen in self.handled.items()
                        if now - seen[1] < FORGET_SECONDS}
        free = self._free()
        if free <= 0:
            return
        async with self.pool.connection() as conn:
            due = await due_posts(conn, utcnow(), free + len(self.running) + len(self.handled))
        sites = SiteMemo(self.pool, self.publisher.secret_key)
        for post in due:
            if free == 0:
                break
            seen = self.handled.get(post.post_id)
            if post.post_id in self.running or (seen and seen[0] == post.due_at):
                continue
            self.running[post.post_id] = asyncio.create_task(self._publish(post, sites))
            free -= 1

    async def _publish(self, post: DuePost, sites: SiteMemo) -> None:
        bound = {"post_id": str(post.post_id), "org_id": str(post.org_id)}
        try:
            with structlog.contextvars.bound_contextvars(**bound):
                await self.publisher.publish(META, StartPublish(
                    org_id=post.org_id, project_id=None, post_id=post.post_id,
                    connection_id=post.connection_id or UNKNOWN, wp_status="publish",
                    scheduled=True, now=self.publisher.clock()), sites)
            self.published += 1
            log.info("blog_scheduled_post_published", **bound,
                     delay=(utcnow() - post.scheduled_at).total_seconds())
        except ConflictError as error:  # another scheduler has it, or it is no longer due
            log.debug("blog_scheduled_post_passed_over", **bound, reason=str(error))
        except NotFoundError:  # deleted: its row leaves the read model
            log.info("blog_scheduled_post_gone", **bound)
        except DomainError as error:  # recorded in the post (failed, or tried again later)
            log.warning("blog_scheduled_post_failed", **bound, error=str(error))
        except Exception as error:
            log.error("blog_scheduled_post_error", **bound, error=repr(error))
        finally:
            self.running.pop(post.post_id, None)
            self.handled[post.post_id] = (post.due_at, time.monotonic())
            self.wake.set()

    async def _sleep(self, stop: asyncio.Event) -> None:
        """Until woken, the next post falls due, or `poll_seconds`."""
        wait = self.poll_seconds
        if self._free() > 0:
            with contextlib.suppress(Exception):
                async with self.pool.connection() as conn:
                    upcoming = await next_due_at(conn)
                if upcoming is not None and _seconds_until(upcoming) > 0:  # past: handled
                    wait = min(wait, _seconds_until(upcoming))
        self.wake.clear()
        waits = [asyncio.create_task(self.wake.wait()), asyncio.create_task(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def _listen(self, stop: asyncio.Event) -> None:
        """Wake on the blog read model's change notices (a post scheduled, unscheduled)."""
        while not stop.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(
                        self.database_url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    async for note in conn.notifies():
                        name, _, rest = note.payload.partition(":")
                        if name == "blog" and not rest.endswith(":quiet"):
                            self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("blog_scheduler_listen_failed", error=repr(error))
                await asyncio.sleep(1.0)


def _seconds_until(moment: datetime) -> float:
    return (moment - utcnow()).total_seconds()


async def run_blog_scheduler(settings: Settings, stop: asyncio.Event) -> None:
    """What `copydesk blog-scheduler` runs."""
    concurrency = max(1, settings.blog_publish_concurrency)
    under_way = 2 * concurrency
    store = PostgresEventStore(settings.database_url, pool_size=2, max_overflow=concurrency)
    # each post under way holds its lock's connection; a pass reads with a few more
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        settings.database_url, min_size=1, max_size=under_way + 4,
        kwargs={"autocommit": True}, open=False)
    await pool.open(wait=True)
    try:
        publisher = Publisher(
            bus=CommandBus(store), pool=pool, secret_key=settings.secret_key,
            policy=blog_policy(settings), own_base=settings.links_base(),
            retry=RetryPolicy(attempts=settings.blog_retry_attempts,
                              first_delay=settings.blog_retry_seconds),
            calls=asyncio.Semaphore(concurrency), grouped=True)
        log.info("blog_scheduler_started", concurrency=concurrency)
        await BlogScheduler(publisher, pool, settings.database_url, concurrency=under_way,
                            poll_seconds=settings.blog_poll_seconds).run(stop)
    finally:
        await pool.close()
        store.close()

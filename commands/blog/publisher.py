"""Publishing a blog post to WordPress and taking it back, for a request and for the scheduler.

One publish, under the post's advisory lock (of several processes, one publishes it):
record the attempt (`BlogPostPublishStarted`), then create or update the WordPress post —
the one we know (`wp_post_id`), else, when an earlier attempt may have made one without our
knowing, the one the marker/slug lookup finds, else a new one — then record the outcome. The
featured image, if the post has one, is fetched through the outbound-URL guard and uploaded
through `/wp/v2/media` first. A failure is recorded with its reason; a scheduled publish that
WordPress could not take (down, 5xx, 429) is tried again later with a growing delay, and given
up after `RetryPolicy.attempts`."""

import asyncio
import contextlib
import dataclasses
import mimetypes
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID

import anyio.to_thread
import structlog
from psycopg_pool import AsyncConnectionPool

from adapters.blog import wordpress_posts as wp
from adapters.blog.wordpress import (
    Site,
    WordPressAuthError,
    WordPressError,
    WordPressNotFoundError,
    WordPressUnavailableError,
)
from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, fetch
from adapters.postgres.record_locks import record_lock
from adapters.settings import Settings
from commands.blog import publishing as p
from commands.blog.publish_sites import Reach, SiteMemo, open_site, read_reach
from commands.bus import CommandBus, Outcome
from commands.grouped_commands import GroupedCommands
from commands.unit_of_work import UnitOfWork
from domain.errors import (
    ConflictError,
    DomainError,
    InvalidCommandError,
    NotFoundError,
    UnavailableError,
)
from domain.events import utcnow
from domain.log import EventMeta

log = structlog.get_logger("copydesk.blog")
LOCK_SPACE = 0x0B1097
"""The advisory-lock space of blog posts being published (`record_locks`)."""
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"GIF8": "image/gif",
               b"RIFF": "image/webp"}
C = TypeVar("C")
R = TypeVar("R")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Failed scheduled attempt n: the next one `first_delay * 2**(n-1)` seconds later (at
    most `max_delay`); after `attempts` attempts, given up."""

    attempts: int = 5
    first_delay: float = 30.0
    max_delay: float = 3600.0

    def delay(self, failures: int) -> timedelta:
        return timedelta(seconds=min(self.max_delay, self.first_delay * 2 ** (failures - 1)))


class PublishError(Exception):
    """Why a publish failed, recorded in the post; `permanent`: trying again will not help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclasses.dataclass(kw_only=True)
class Publisher:
    bus: CommandBus
    pool: AsyncConnectionPool[Any]
    secret_key: str
    policy: OutboundPolicy
    """For WordPress and for featured images."""
    own_base: str = ""
    """copydesk's own address: a featured image path (`/…`) is fetched from there."""
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = utcnow
    calls: asyncio.Semaphore | None = None
    """Publishes calling WordPress at once (None: as many as publish); more may be under way,
    their attempts being recorded meanwhile."""
    grouped: bool = False
    """Record the attempts and outcomes of concurrent publishes together (`GroupedCommands`,
    for one event loop: the scheduler's)."""
    _groups: dict[Any, GroupedCommands[Any, Any]] = dataclasses.field(
        default_factory=dict, init=False, repr=False)

    async def publish(self, meta: EventMeta, cmd: p.StartPublish,
                      sites: SiteMemo | None = None) -> int:
        """Publish now; the position of the last event. ConflictError when another process
        is publishing the post; a DomainError saying why WordPress refused or failed.
        `sites`: the connections as a scheduler pass read them."""
        async with record_lock(self.pool, LOCK_SPACE, cmd.post_id) as held:
            if not held:
                raise ConflictError("the post is being published; try again in a moment")
            site = await self._connection(meta, cmd, sites)
            plan = (await self._record(p.start_publish, cmd, meta)).result
            try:
                made = await self._push(site, plan)
            except PublishError as error:
                await self._failed(meta, cmd, plan, error)
                raise _answer(error) from error
            log.info("blog_post_published", post_id=str(plan.post_id), wp_post_id=made.id,
                     attempt=plan.attempt, looked_up=plan.may_exist)
            return (await self._record(p.record_published, p.RecordPublished(
                org_id=cmd.org_id, post_id=plan.post_id, connection_id=plan.connection_id,
                wp_post_id=made.id, published_url=made.link, wp_status=plan.wp_status,
                published_at=self.clock()), meta)).position

    async def unpublish(self, meta: EventMeta, ref: p.PostRef) -> int:
        """Set the WordPress post to draft, then the post here."""
        async with record_lock(self.pool, LOCK_SPACE, ref.post_id) as held:
            if not held:
                raise ConflictError("the post is being published; try again in a moment")
            plan = (await self._run(p.plan_unpublish, ref, meta)).result
            site = await self._site(ref.org_id, plan.connection_id, plan.site_url, plan.username)
            try:
                await wp.set_status(site, plan.wp_post_id, "draft", self.policy)
            except WordPressNotFoundError:
                log.info("blog_post_gone_from_wordpress", post_id=str(ref.post_id))
            except WordPressError as error:
                raise _answer(_classified(error)) from error
            return (await self._run(p.record_unpublished, ref, meta)).position

    async def _run(self, handler: Callable[[UnitOfWork, C], R], cmd: C,
                   meta: EventMeta) -> Outcome[R]:
        return await anyio.to_thread.run_sync(lambda: self.bus.execute(handler, cmd, meta))

    async def _record(self, handler: Callable[[UnitOfWork, C], R], cmd: C,
                      meta: EventMeta) -> Outcome[R]:
        """A publish's own record (attempt, outcome): with the others' under way when
        `grouped`."""
        if not self.grouped:
            return await self._run(handler, cmd, meta)
        group = self._groups.get(handler)
        if group is None:
            group = self._groups[handler] = GroupedCommands(self.bus, handler)
        result: Outcome[R] = await group.execute(cmd, meta)
        return result

    async def _site(self, org_id: UUID, connection_id: UUID, url: str, username: str) -> Site:
        async with self.pool.connection() as conn:
            return await open_site(conn, self.secret_key, org_id, connection_id, url, username)

    async def _reach(self, org_id: UUID, connection_id: UUID, sites: SiteMemo | None) -> Reach:
        if sites is not None:
            return await sites.reach(org_id, connection_id)
        return await read_reach(self.pool, self.secret_key, org_id, connection_id)

    async def _connection(self, meta: EventMeta, cmd: p.StartPublish,
                          sites: SiteMemo | None) -> Site:
        """The organization's connection's site, from the read model; a scheduled publish
        through one deleted or switched off is given up (recorded), a request's answered
        404 / 422."""
        row, site = await self._reach(cmd.org_id, cmd.connection_id, sites)
        if row is not None and row.is_active and site is not None:
            return site
        problem = ("the blog connection was deleted" if row is None
                   else "the blog connection is not active")
        if cmd.scheduled:
            await self._run(p.give_up_schedule, p.GiveUpSchedule(
                org_id=cmd.org_id, post_id=cmd.post_id,
                reason=f"the post cannot be published: {problem}"), meta)
        if row is None:
            raise NotFoundError("blog connection not found")
        raise InvalidCommandError(problem)

    async def _push(self, site: Site, plan: p.PublishPlan) -> wp.WordPressPost:
        async with self.calls or contextlib.nullcontext():
            return await self._push_now(site, plan)

    async def _push_now(self, site: Site, plan: p.PublishPlan) -> wp.WordPressPost:
        try:
            media = await self._featured_media(site, plan)
            fields = wp.PostFields(
                copydesk_id=str(plan.post_id), title=plan.title, content=plan.content,
                excerpt=plan.excerpt, slug=plan.slug, status=plan.wp_status,
                categories=plan.categories, featured_media=media)
            if plan.wp_post_id is not None:
                try:
                    return await wp.update_post(site, plan.wp_post_id, fields, self.policy)
                except WordPressNotFoundError:  # deleted on the site: made again
                    pass
            if plan.may_exist:
                found = await wp.find_post(site, fields, self.policy)
                if found is not None:
                    return await wp.update_post(site, found.id, fields, self.policy)
            return await wp.create_post(site, fields, self.policy)
        except WordPressError as error:
            raise _classified(error) from error

    async def _featured_media(self, site: Site, plan: p.PublishPlan) -> int | None:
        url = plan.featured_image_url
        if not url:
            return None
        if url.startswith("/") and self.own_base:
            url = self.own_base.rstrip("/") + url
        try:
            data = await fetch(url, self.policy)
        except OutboundRefusedError as error:
            raise PublishError(f"the featured image could not be fetched: {error}",
                               permanent=True) from error
        kind = next((t for magic, t in IMAGE_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            raise PublishError("the featured image is not a JPEG, PNG, GIF or WebP picture",
                               permanent=True)
        name = PurePosixPath(urlsplit(url).path).name or "image"
        if not PurePosixPath(name).suffix:
            name += mimetypes.guess_extension(kind) or ""
        return await wp.upload_media(site, name, kind, data, self.policy)

    async def _failed(self, meta: EventMeta, cmd: p.StartPublish, plan: p.PublishPlan,
                      error: PublishError) -> None:
        failures = plan.failures + 1
        retry_at, gave_up = None, False
        if cmd.scheduled:
            if error.permanent or failures >= self.retry.attempts:
                gave_up = True
            else:
                retry_at = self.clock() + self.retry.delay(failures)
        log.warning("blog_publish_failed", post_id=str(plan.post_id), attempt=plan.attempt,
                    error=str(error), retry_at=retry_at.isoformat() if retry_at else None,
                    gave_up=gave_up)
        await self._record(p.record_publish_failure, p.RecordPublishFailure(
            org_id=cmd.org_id, post_id=plan.post_id, reason=str(error), retry_at=retry_at,
            gave_up=gave_up), meta)


def blog_policy(settings: Settings) -> OutboundPolicy:
    """How WordPress sites and featured images are reached (loopback only in tests)."""
    return OutboundPolicy(allow_loopback=settings.feeds_allow_loopback,
                          timeout_seconds=settings.feed_timeout_seconds)


def _classified(error: WordPressError) -> PublishError:
    if isinstance(error, WordPressAuthError):
        return PublishError(f"WordPress refused the blog connection's credentials ({error});"
                            " check its username and app_password", permanent=True)
    if isinstance(error, WordPressUnavailableError):
        return PublishError(f"WordPress could not take the post: {error}", permanent=False)
    return PublishError(f"WordPress refused the post: {error}", permanent=True)


def _answer(error: PublishError) -> DomainError:
    """The error a request answers with: 503 when trying again later may work, else 422."""
    if error.permanent:
        return InvalidCommandError(str(error))
    return UnavailableError(str(error), retry_after=30)

"""`feed.sync`: an external product feed's products into the product index.

Started by `POST /api/ai-pages/feeds/<id>/sync/`; the job's slot (its `project_id`) is the
feed's aggregate id, so one sync per feed runs at a time. One unit ("feed"): load the feed,
fetch its URL through the outbound-URL guard (public addresses only, checked after DNS and on
every redirect; size and time limits), parse it (XML by defusedxml) and map it with its
`field_map`, outside any transaction; then `record` writes, with the unit's outcome, what
changed since the last sync (new, changed, removed products). A refused URL, a timeout or a
broken document fails the unit at once with the reason, recorded on the feed too: its
products stay as the last good sync left them.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from adapters.feed_documents import FeedFormatError, parse_feed
from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, fetch
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.jobs.lifecycle import ReportProgress, report_progress
from commands.search.feeds import (
    SYNC_CONFLICTS,
    SYNC_KIND,
    FailFeedSync,
    RecordFeedSync,
    fail_feed_sync,
    feed_id,
    record_feed_sync,
)
from commands.unit_of_work import UnitOfWork
from domain.errors import DomainError, InvalidCommandError
from domain.jobs.job import Job
from domain.log import EventMeta
from domain.search.feed_products import FeedProduct, map_products
from domain.search.feeds import Feed

UNIT_ID = "feed"
MAX_NUMBER = 2**31 - 1


def outbound_policy(settings: Settings) -> OutboundPolicy:
    return OutboundPolicy(allow_loopback=settings.feeds_allow_loopback,
                          max_bytes=int(settings.feed_max_mb * 1024 * 1024),
                          timeout_seconds=settings.feed_timeout_seconds)


@dataclasses.dataclass(frozen=True)
class FeedSyncKind:
    name: str = SYNC_KIND
    conflicts: frozenset[str] = SYNC_CONFLICTS
    concurrency: int = 4
    ack_wait: float = 10.0
    max_attempts: int = 2

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        number = parameters.get("feed")
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
            raise InvalidCommandError("feed must be the id of a product feed")
        return {"feed": number}

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        number = int(job.parameters["feed"])
        if job.project_id != feed_id(job.org_id, number):
            raise InvalidCommandError(
                "a feed.sync job is started by POST /api/ai-pages/feeds/<id>/sync/")
        yield Unit(id=UNIT_ID, data={"feed": number})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        number = int(job.parameters["feed"])
        try:
            feed = await asyncio.to_thread(_load_feed, ctx, job.org_id, number)
            body = await fetch(feed.url, outbound_policy(ctx.settings))
            products, skipped = await asyncio.to_thread(_read, body, feed)
        except OutboundRefusedError as error:
            return UnitResult(status="failed", error=f"the feed could not be fetched: {error}")
        except FeedFormatError as error:
            return UnitResult(status="failed", error=f"the feed could not be read: {error}")
        except DomainError as error:
            return UnitResult(status="failed", error=str(error))
        await asyncio.to_thread(_report, ctx, job, len(products))
        return UnitResult(detail={"products": len(products), "skipped": skipped},
                          output=(products, skipped))

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None
        number = int(job.parameters["feed"])
        if result.status == "succeeded" and result.output is not None:
            products, skipped = result.output
            diff = record_feed_sync(uow, RecordFeedSync(
                org_id=job.org_id, number=number, job_id=job.id, products=products,
                skipped=skipped))
            result = dataclasses.replace(result, detail={
                "products": len(products), "added": diff.added, "changed": diff.changed,
                "removed": len(diff.removed), "unchanged": diff.unchanged, "skipped": skipped})
        elif result.status == "failed":
            fail_feed_sync(uow, FailFeedSync(org_id=job.org_id, number=number, job_id=job.id,
                                             reason=result.error))
        record_result(job, unit, result)


def _load_feed(ctx: JobContext, org_id: UUID, number: int) -> Feed:
    feed = UnitOfWork(ctx.store).get(Feed, feed_id(org_id, number))
    feed.check_is_live(org_id)
    return feed


def _read(body: bytes, feed: Feed) -> tuple[list[FeedProduct], int]:
    return map_products(parse_feed(body, feed.format), feed.field_map)


def _report(ctx: JobContext, job: JobSpec, count: int) -> None:
    meta = EventMeta(actor_type="system", actor_id="job-worker", causation_id=str(job.id),
                     correlation_id=str(job.id))
    CommandBus(ctx.store).execute(report_progress, ReportProgress(
        org_id=job.org_id, job_id=job.id, unit_id=UNIT_ID, done=count, expected=count), meta)


KIND = FeedSyncKind()

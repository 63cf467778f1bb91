"""Plans each new job once: queued → running, its units published, their number recorded.

Driven by `JobCreated` on the events stream through one durable consumer shared by every
worker process, so one of them takes each job. Planning again is harmless (the job starts
once, units are published with their message ids, `JobPlanned` is recorded once), so a
planner that dies midway is simply followed by the next delivery. A sweep of the read model
plans jobs still queued long after they were created (their event never reached the stream).
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from adapters.nats import stream as events_stream
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.jobs.kind import JobContext, JobKind, spec_of
from commands.jobs.lifecycle import FailJobPlanning, PlanJob, StartJob, fail_job_planning, plan_job, start_job
from commands.unit_of_work import UnitOfWork
from domain.errors import DomainError
from domain.jobs.events import JobCreated
from domain.jobs.job import QUEUED, RUNNING
from projections.jobs.queries import stale_queued_job_ids
from workers.jobs.cache import JobCache
from workers.jobs.queue import PlanningError, publish_units
from workers.jobs.recorder import META

log = structlog.get_logger("copydesk.jobs")
C = TypeVar("C")
DURABLE = "jobs_planner"
MAX_PLAN_ATTEMPTS = 5
SWEEP_SECONDS = 15.0
STALE_QUEUED_SECONDS = 30


class KindUnavailableError(Exception):
    """This worker does not know the job's kind (another one may)."""


class Planner:
    def __init__(
        self, settings: Settings, kinds: dict[str, JobKind], ctx: JobContext,
        js: JetStreamContext, bus: CommandBus, cache: JobCache,
    ) -> None:
        self.settings = settings
        self.kinds = kinds
        self.ctx = ctx
        self.js = js
        self.bus = bus
        self.cache = cache

    async def run(self, stop: asyncio.Event) -> None:
        sweeper = asyncio.create_task(self._sweep(stop))
        try:
            while not stop.is_set():
                try:
                    await self._consume(stop)
                except Exception as error:  # NATS away, stream deleted
                    if stop.is_set():
                        break
                    log.warning("job_planner_consume_failed", error=repr(error))
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 1.0)
        finally:
            sweeper.cancel()

    async def _consume(self, stop: asyncio.Event) -> None:
        prefix = self.settings.events_subject
        await events_stream.ensure_stream(self.js, self.settings.events_stream, prefix)
        subject = events_stream.subject_for(JobCreated.topic(), prefix)
        sub = await self.js.pull_subscribe(
            subject, durable=DURABLE, stream=self.settings.events_stream,
            config=ConsumerConfig(
                durable_name=DURABLE, ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL, ack_wait=30, max_deliver=-1,
                filter_subject=subject,
            ),
        )
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(1, timeout=1.0)
                except TimeoutError:
                    continue
                for msg in msgs:
                    await self._plan_message(msg)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _plan_message(self, msg: Msg) -> None:
        attempt = msg.metadata.num_delivered
        job_id = UUID((msg.headers or {})[events_stream.AGGREGATE_ID])
        try:
            await self.plan(job_id, attempt, msg.in_progress)
        except KindUnavailableError:
            await msg.nak(delay=5.0)
        except Exception as error:  # NATS or the store away: plan again later
            log.warning("job_planning_interrupted", job_id=str(job_id), error=repr(error))
            await msg.nak(delay=min(2.0 ** attempt, 30.0))
        else:
            await msg.ack()

    async def plan(
        self, job_id: UUID, attempt: int = 1,
        heartbeat: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Plan the job unless it is planned, finished or unknown already."""
        job = await self.cache.get(job_id, fresh=True)
        if job is None or job.total is not None or job.status not in (QUEUED, RUNNING):
            return
        kind = self.kinds.get(job.kind)
        if kind is None:
            log.warning("job_kind_unavailable", job_id=str(job_id), kind=job.kind)
            raise KindUnavailableError(job.kind)
        await self._command(start_job, StartJob(job_id=job_id))
        try:
            total = await publish_units(self.js, self.settings, job_id, kind.name,
                                        kind.plan(self.ctx, spec_of(job)), heartbeat)
        except PlanningError as error:
            permanent = (isinstance(error.__cause__, DomainError) or error.__cause__ is None
                         or attempt >= MAX_PLAN_ATTEMPTS)
            if not permanent:
                raise
            log.warning("job_planning_failed", job_id=str(job_id), error=str(error))
            await self._command(fail_job_planning, FailJobPlanning(job_id=job_id,
                                                                   error=f"planning failed: {error}"))
            return
        await self._command(plan_job, PlanJob(job_id=job_id, total=total))
        log.info("job_planned", job_id=str(job_id), kind=kind.name, units=total)

    async def _command(self, handler: Callable[[UnitOfWork, C], Any], command: C) -> None:
        await asyncio.to_thread(self.bus.execute, handler, command, META)

    async def _sweep(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)
            if stop.is_set():
                return
            try:
                async with self.ctx.pool.connection() as conn:
                    stale = await stale_queued_job_ids(conn, STALE_QUEUED_SECONDS)
                for job_id in stale:
                    with contextlib.suppress(KindUnavailableError):
                        await self.plan(job_id)
            except Exception as error:
                log.warning("job_sweep_failed", error=repr(error))

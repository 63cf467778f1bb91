"""Takes one kind's units from the work queue and runs up to `concurrency` of them at once.

Per unit: fetch (in batches, as many as there are free slots) → check the job (from the
cache: done already? cancelled?) → `run` → hand the result to the recorder, which commits
its outcome and then acks. The slot is free again as soon as `run` returns. Every message
not acked yet gets an in-progress heartbeat each third of `ack_wait`, so only the units of a
worker that died are delivered again.
"""

import asyncio
import contextlib
import time
from uuid import UUID

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from adapters.settings import Settings
from commands.jobs.kind import JobContext, JobKind, Unit, UnitResult, spec_of
from domain.errors import DomainError
from domain.jobs.job import CANCELLED, QUEUED, TAKES_OUTCOMES
from workers.jobs.cache import JobCache
from workers.jobs.queue import UnitMessage, decode_unit, units_subscription
from workers.jobs.recorder import Finished, Recorder

log = structlog.get_logger("copydesk.jobs")
FETCH_SECONDS = 0.25
RETRY_DELAYS = (0.5, 2.0, 10.0, 30.0)
"""Seconds before a unit whose `run` raised is tried again, by attempt."""


class UnitRunner:
    def __init__(
        self, kind: JobKind, ctx: JobContext, js: JetStreamContext, settings: Settings,
        cache: JobCache, recorder: Recorder,
    ) -> None:
        self.kind = kind
        self.ctx = ctx
        self.js = js
        self.settings = settings
        self.cache = cache
        self.recorder = recorder
        self.free = kind.concurrency
        self._freed = asyncio.Event()
        self.held: dict[int, tuple[Msg, float]] = {}
        """Messages taken and not acked yet (by stream sequence), with their last touch."""
        self.tasks: set[asyncio.Task[None]] = set()
        self.ran = 0

    @property
    def idle(self) -> bool:
        return not self.tasks

    async def run(self, stop: asyncio.Event) -> None:
        heartbeats = asyncio.create_task(self._heartbeats(stop))
        try:
            while not stop.is_set():
                try:
                    await self._consume(stop)
                except Exception as error:  # NATS away, consumer deleted
                    if stop.is_set():
                        break
                    log.warning("job_units_consume_failed", kind=self.kind.name, error=repr(error))
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 1.0)
        finally:
            await self._finish_running()
            heartbeats.cancel()

    async def _consume(self, stop: asyncio.Event) -> None:
        sub = await units_subscription(self.js, self.settings, self.kind)
        try:
            while not stop.is_set():
                if self.free <= 0:  # a fetch may hand over a late message of an earlier one
                    self._freed.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._freed.wait(), FETCH_SECONDS)
                    continue
                try:
                    msgs = await sub.fetch(self.free, timeout=FETCH_SECONDS)
                except TimeoutError:
                    continue
                for msg in msgs:
                    self._take(msg)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    def _take(self, msg: Msg) -> None:
        self.free -= 1
        self.held[msg.metadata.sequence.stream] = (msg, time.monotonic())
        task = asyncio.create_task(self._handle(msg))
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.free += 1
        self._freed.set()

    def forget(self, finished: Finished) -> None:
        """The recorder acked it: no more heartbeats."""
        if finished.msg is not None:
            self.held.pop(finished.msg.metadata.sequence.stream, None)

    async def _handle(self, msg: Msg) -> None:
        try:
            body = decode_unit(msg.data)
        except Exception:
            log.error("job_unit_unreadable", kind=self.kind.name)
            await self._drop(msg, term=True)
            return
        try:
            await self._handle_unit(msg, body)
        except Exception as error:  # the store is away: let the unit come back later
            log.warning("job_unit_not_handled", kind=self.kind.name, error=repr(error))
            await self._drop(msg, delay=RETRY_DELAYS[0])

    async def _handle_unit(self, msg: Msg, body: UnitMessage) -> None:
        attempt = msg.metadata.num_delivered
        unit = Unit(id=body.unit_id, data=body.data, attempt=attempt)
        job = await self.cache.get(body.job_id)
        if job is None or job.status not in TAKES_OUTCOMES:
            job = await self.cache.get(body.job_id, fresh=True)  # the view may be stale
        if job is None:
            log.error("job_unit_of_unknown_job", kind=self.kind.name, job_id=str(body.job_id))
            await self._drop(msg, term=True)
            return
        if job.status == QUEUED:  # cannot be (units are published once it runs): later
            await self._drop(msg, delay=RETRY_DELAYS[0])
            return
        if job.has_outcome(unit.id) or job.status not in TAKES_OUTCOMES:
            await self._drop(msg)  # done already, or the job has ended: nothing to do
            return
        if job.status == CANCELLED:
            self._engine_outcome(msg, job.id, unit, UnitResult(
                status="skipped", error="the job was cancelled"))
            return
        if attempt > self.kind.max_attempts:
            self._engine_outcome(msg, job.id, unit, UnitResult(
                status="failed", error=f"gave up after {attempt - 1} attempts"))
            return
        try:
            result = await self.kind.run(self.ctx, spec_of(job), unit)
        except DomainError as error:
            result = UnitResult(status="failed", error=str(error))
        except Exception as error:
            if attempt < self.kind.max_attempts:
                log.info("job_unit_retried", kind=self.kind.name, job_id=str(job.id),
                         attempt=attempt, error=repr(error))
                await self._drop(msg, delay=RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])
                return
            log.warning("job_unit_failed", kind=self.kind.name, job_id=str(job.id),
                        attempt=attempt, error=repr(error))
            self._engine_outcome(msg, job.id, unit, UnitResult(
                status="failed", error=f"failed after {attempt} attempts: {error}"))
            return
        self.ran += 1
        self.recorder.submit(Finished(job_id=job.id, unit=unit, kind=self.kind, result=result,
                                      msg=msg))

    def _engine_outcome(self, msg: Msg, job_id: UUID, unit: Unit, result: UnitResult) -> None:
        self.recorder.submit(Finished(job_id=job_id, unit=unit, kind=self.kind, result=result,
                                      by_engine=True, msg=msg))

    async def _drop(self, msg: Msg, *, delay: float | None = None, term: bool = False) -> None:
        """Ack (or nak after `delay`, or terminate) a message without recording anything."""
        self.held.pop(msg.metadata.sequence.stream, None)
        with contextlib.suppress(Exception):
            if term:
                await msg.term()
            elif delay is not None:
                await msg.nak(delay=delay)
            else:
                await msg.ack()

    async def _heartbeats(self, stop: asyncio.Event) -> None:
        every = self.kind.ack_wait / 3
        while True:
            await asyncio.sleep(every / 2)
            now = time.monotonic()
            for key, (msg, touched) in list(self.held.items()):
                if key in self.held and now - touched >= every:
                    self.held[key] = (msg, now)
                    with contextlib.suppress(Exception):
                        await msg.in_progress()

    async def _finish_running(self, grace: float = 5.0) -> None:
        """On stop: let running units finish for a while; the rest come back to others."""
        if self.tasks:
            await asyncio.wait(self.tasks, timeout=grace)

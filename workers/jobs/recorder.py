"""Records finished units in groups: one unit of work (one append) for every unit that finished
while the previous group was being written, then acks their messages.

One command per group instead of per unit keeps the per-unit cost small and spares the Job
aggregate (one stream of events per job) most of the stale-write retries between processes.
A DomainError from one kind's `record` would spoil the whole group: the group is then written
unit by unit, and the unit whose `record` refused is recorded failed with the refusal.
"""

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable
from uuid import UUID

import structlog
from nats.aio.msg import Msg

from commands.bus import CommandBus
from commands.jobs.kind import JobKind, Unit, UnitResult, record_result
from commands.jobs.lifecycle import release_slots
from commands.unit_of_work import UnitOfWork
from domain.errors import ConcurrencyError, DomainError
from domain.jobs.job import TAKES_OUTCOMES, Job
from domain.log import EventMeta

log = structlog.get_logger("copydesk.jobs")
MAX_GROUP = 500
META = EventMeta(actor_type="system", actor_id="job-worker")


@dataclasses.dataclass(kw_only=True)
class Finished:
    """A unit done (or given up, or skipped) and waiting to be recorded and acked. `result`
    comes from the kind's `run` and goes through its `record`; `engine` outcomes (skipped
    because cancelled, failed after retries) go straight to the job."""

    job_id: UUID
    unit: Unit
    kind: JobKind
    result: UnitResult
    by_engine: bool = False
    msg: Msg | None = None


class Recorder:
    def __init__(self, bus: CommandBus, on_acked: Callable[[Finished], None] | None = None) -> None:
        self.bus = bus
        self.on_acked = on_acked
        self.queue: asyncio.Queue[Finished] = asyncio.Queue()
        self._arrived = asyncio.Event()
        self._stop = asyncio.Event()
        self.recorded = 0

    def submit(self, finished: Finished) -> None:
        self.queue.put_nowait(finished)
        self._arrived.set()

    async def run(self, stop: asyncio.Event, drained: Callable[[], bool]) -> None:
        """Record until `stop` is set and `drained()` says no unit is still running."""
        self._stop = stop
        while not (stop.is_set() and drained() and self.queue.empty()):
            if self.queue.empty():
                self._arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), 0.2)
                continue
            group: list[Finished] = []
            while len(group) < MAX_GROUP and not self.queue.empty():
                group.append(self.queue.get_nowait())
            await self.write(group)

    async def write(self, group: list[Finished]) -> None:
        """Record the group (retrying while the store is away), then ack its messages."""
        attempt = 0
        while True:
            attempt += 1
            try:
                await asyncio.to_thread(self._append, group)
                break
            except ConcurrencyError:
                await asyncio.sleep(0.005 * attempt)
            except DomainError as error:
                if len(group) > 1:
                    for one in group:
                        await self.write([one])
                    return
                refused = group[0]
                if refused.by_engine:
                    log.error("job_outcome_refused", job_id=str(refused.job_id),
                              unit_id=refused.unit.id[:200], error=str(error))
                    break
                group = [dataclasses.replace(refused, by_engine=True, result=UnitResult(
                    status="failed", error=str(error), detail=refused.result.detail))]
            except Exception as error:  # the database is away: keep the units, try again
                log.warning("job_outcomes_not_recorded", error=repr(error), attempt=attempt,
                            units=len(group))
                if self._stop.is_set() and attempt >= 3:
                    return  # stopping: not acked, so delivered again to another worker
                await asyncio.sleep(min(0.2 * attempt, 5.0))
        self.recorded += len(group)
        await self._ack(group)

    def _append(self, group: list[Finished]) -> None:
        self.bus.run(lambda uow: apply_outcomes(uow, group), META, name="RecordJobOutcomes")

    async def _ack(self, group: list[Finished]) -> None:
        for finished in group:
            if finished.msg is not None:
                with contextlib.suppress(Exception):  # unacked: delivered again, ignored then
                    await finished.msg.ack()
            if self.on_acked is not None:
                self.on_acked(finished)


def apply_outcomes(uow: UnitOfWork, group: list[Finished]) -> None:
    """Record each unit's outcome (and its kind's effects) unless it already has one; release
    the project slot of every job this finishes."""
    status_before: dict[UUID, str] = {}
    jobs: dict[UUID, Job] = {}
    for finished in group:
        job = uow.get(Job, finished.job_id)
        status_before.setdefault(job.id, job.status)
        jobs[job.id] = job
        if job.exists and job.status in TAKES_OUTCOMES and not job.has_outcome(finished.unit.id):
            if finished.by_engine:
                record_result(job, finished.unit, finished.result)
            else:
                finished.kind.record(uow, job, finished.unit, finished.result)
    release_slots(uow, [job for job in jobs.values() if job.status != status_before[job.id]])
    for job in jobs.values():  # the outcomes after the items' work (see append_last)
        uow.append_last(job)

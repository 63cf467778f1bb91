"""What a kind of job is: the protocol every concrete kind (generate, import, …) implements.

A job's life, as the engine drives it:

1. `POST /projects/{id}/jobs` checks `check_parameters` and queues a Job, taking the project's
   slot (refused with 409 while a job of a kind in `conflicts` runs there).
2. One worker plans it: `plan(ctx, job)` yields the units (stable ids, small data); each is
   published to the work queue with `Nats-Msg-Id` = "<job id>:<unit id>", so planning again
   after a crash publishes nothing twice.
3. Workers take units, up to `concurrency` at once per process, and call `run(ctx, job, unit)`:
   the external work (an LLM call, a file chunk), outside any transaction. A unit running
   longer than `ack_wait` is kept alive with heartbeats; a unit of a worker that died is
   delivered again after `ack_wait`. A `DomainError` from `run` fails the unit at once; any
   other exception retries it (with a backoff) until `max_attempts`, then fails it.
4. The engine calls `record(uow, job, unit, result)` — only when the unit has no outcome yet —
   in a unit of work that commits before the message is acked. `record` writes the unit's
   effects (content, an XCT charge) and its outcome (`record_result`) together: a unit
   delivered twice finds its outcome there and is not recorded (nor charged) again.
5. The job completes when every planned unit has an outcome; a cancelled job's units that
   had not started are recorded as skipped without being run.
"""

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from adapters.settings import Settings
from commands.unit_of_work import UnitOfWork
from domain.jobs.job import Job
from domain.log import EventStore

KIND_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
Status = Literal["succeeded", "failed", "skipped"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobSpec:
    """A job as `plan` and `run` see it (read-only; `record` gets the aggregate itself)."""

    id: UUID
    org_id: UUID
    project_id: UUID
    kind: str
    parameters: dict[str, Any]
    created_by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Unit:
    """One piece of a job. `id` is unique and stable within the job (an item id, "rows
    0-499"); `data` is what `run` needs, small plain JSON. `attempt` counts deliveries."""

    id: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    attempt: int = 1


@dataclasses.dataclass(frozen=True, kw_only=True)
class UnitResult:
    """What `run` found. `detail` (small plain JSON) is shown per item; `error` is the reason
    of a failed or skipped unit; `cost` the XCT the unit costs; `output` anything else `record`
    needs (generated texts, token counts), never stored on the job."""

    status: Status = "succeeded"
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)
    error: str = ""
    cost: Decimal = Decimal(0)
    output: Any = None


class JobContext:
    """What kinds may use: settings, the event store (to load aggregates), a read pool, and
    named concurrency limits shared by every kind of the process (e.g. one per provider)."""

    def __init__(self, settings: Settings, store: EventStore, pool: AsyncConnectionPool) -> None:
        self.settings = settings
        self.store = store
        self.pool = pool
        self._limits: dict[str, asyncio.Semaphore] = {}

    def limit(self, key: str, size: int) -> asyncio.Semaphore:
        """The process's semaphore named `key` (made with `size` on first use)."""
        if key not in self._limits:
            self._limits[key] = asyncio.Semaphore(size)
        return self._limits[key]


@runtime_checkable
class JobKind(Protocol):
    """A kind of job. Implementations are plain objects with these attributes and methods."""

    @property
    def name(self) -> str:
        """The `job_type` clients send; lower-case words, dots allowed (`catalog.import`)."""
        ...

    @property
    def conflicts(self) -> frozenset[str]:
        """Kinds that may not run beside this one on a project (usually including itself)."""
        ...

    @property
    def concurrency(self) -> int:
        """Units of this kind in flight at once in one worker process."""
        ...

    @property
    def ack_wait(self) -> float:
        """Seconds without a heartbeat after which a unit is delivered again (a dead worker)."""
        ...

    @property
    def max_attempts(self) -> int:
        """Deliveries of a unit before it is recorded failed."""
        ...

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """The parameters to store (normalised), or InvalidCommandError naming the problem.
        Runs in the API when the job is created; no I/O."""
        ...

    def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        """The job's units (an async generator). Must give the same ids when run again."""
        ...

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        """Do one unit's external work, outside any transaction."""
        ...

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        """Write the unit's effects and its outcome (`record_result`) in `uow`. Called in a
        worker thread, only when the unit has no outcome yet. A DomainError raised here
        records the unit failed with its message instead (and nothing of this call)."""
        ...


def record_result(job: Job, unit: Unit, result: UnitResult) -> bool:
    """Record `result` as the unit's outcome on `job`; False when it already had one."""
    if result.status == "succeeded":
        return job.record_success(unit.id, result.detail, result.cost, unit.attempt)
    if result.status == "failed":
        return job.record_failure(unit.id, result.error, result.detail, unit.attempt)
    return job.record_skip(unit.id, result.error, result.detail, unit.attempt)


def spec_of(job: Job) -> JobSpec:
    assert job.org_id is not None and job.project_id is not None
    return JobSpec(id=job.id, org_id=job.org_id, project_id=job.project_id, kind=job.kind,
                   parameters=job.parameters, created_by=job.created_by)


def check_kind(kind: object) -> JobKind:
    """`kind` if it has what a JobKind needs and sane limits, else TypeError/ValueError."""
    if not isinstance(kind, JobKind):
        raise TypeError(f"{kind!r} is not a JobKind (see commands.jobs.kind)")
    if not KIND_NAME.match(kind.name) or len(kind.name) > 100:
        raise ValueError(f"job kind name {kind.name!r}: lower-case words joined by dots")
    if kind.concurrency < 1 or kind.ack_wait <= 0 or kind.max_attempts < 1:
        raise ValueError(f"job kind {kind.name}: concurrency, ack_wait, max_attempts must be > 0")
    return kind

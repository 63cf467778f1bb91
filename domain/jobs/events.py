"""What happens to a job and to a project's job slot. Parameters and details hold no secret."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.events import DomainEvent


class JobEvent(DomainEvent):
    """The base of every job event: its topic in the log is `jobs.<ClassName>`."""

    context = "jobs"

# --- job --------------------------------------------------------------------------------


class JobCreated(JobEvent):
    """A job was queued; `kind` names the work, `parameters` say what to do (plain data)."""

    project_id: UUID
    kind: str
    parameters: dict[str, Any]
    created_by: UUID | None


class JobStarted(JobEvent):
    """A worker took the job: queued → running. Its units are being published."""


class JobPlanned(JobEvent):
    """Every unit of the job was published; `total` of them."""

    total: int


class JobUnitProgressed(JobEvent):
    """A long unit's progress within itself (an import's rows): `done` so far, of about
    `expected` (None while unknown)."""

    unit_id: str
    done: int
    expected: int | None


class JobItemSucceeded(JobEvent):
    unit_id: str
    detail: dict[str, Any]
    cost: Decimal = Decimal(0)
    attempts: int = 1


class JobItemFailed(JobEvent):
    """A unit failed for good (it costs nothing); `error` says why, for the user."""

    unit_id: str
    error: str
    detail: dict[str, Any]
    attempts: int = 1


class JobItemSkipped(JobEvent):
    """A unit was not done: nothing to do, or the job was cancelled before it started."""

    unit_id: str
    reason: str
    detail: dict[str, Any]
    attempts: int = 1


class JobCompleted(JobEvent):
    """Every unit has an outcome; `result` sums them up."""

    result: dict[str, Any]


class JobFailed(JobEvent):
    """Planning failed, or every unit failed."""

    error: str
    result: dict[str, Any]


class JobCancelled(JobEvent):
    """Stopped on request: units not started yet are skipped; those running finish."""

    cancelled_by: UUID | None
    result: dict[str, Any]


# --- project job slot -------------------------------------------------------------------


class JobSlotTaken(JobEvent):
    """A job began to occupy its project; `conflicts`: the kinds it may not run beside."""

    project_id: UUID
    job_id: UUID
    kind: str
    conflicts: tuple[str, ...]


class JobSlotReleased(JobEvent):
    project_id: UUID
    job_id: UUID

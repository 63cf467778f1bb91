"""What happens to a job and to a project's job slot. Parameters and details hold no secret."""

import dataclasses
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.events import DomainEvent

# --- job --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobCreated(DomainEvent):
    """A job was queued; `kind` names the work, `parameters` say what to do (plain data)."""

    context = "jobs"
    project_id: UUID
    kind: str
    parameters: dict[str, Any]
    created_by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobStarted(DomainEvent):
    """A worker took the job: queued → running. Its units are being published."""

    context = "jobs"


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobPlanned(DomainEvent):
    """Every unit of the job was published; `total` of them."""

    context = "jobs"
    total: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobUnitProgressed(DomainEvent):
    """A long unit's progress within itself (an import's rows): `done` so far, of about
    `expected` (None while unknown)."""

    context = "jobs"
    unit_id: str
    done: int
    expected: int | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobItemSucceeded(DomainEvent):
    context = "jobs"
    unit_id: str
    detail: dict[str, Any]
    cost: Decimal = Decimal(0)
    attempts: int = 1


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobItemFailed(DomainEvent):
    """A unit failed for good (it costs nothing); `error` says why, for the user."""

    context = "jobs"
    unit_id: str
    error: str
    detail: dict[str, Any]
    attempts: int = 1


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobItemSkipped(DomainEvent):
    """A unit was not done: nothing to do, or the job was cancelled before it started."""

    context = "jobs"
    unit_id: str
    reason: str
    detail: dict[str, Any]
    attempts: int = 1


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobCompleted(DomainEvent):
    """Every unit has an outcome; `result` sums them up."""

    context = "jobs"
    result: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobFailed(DomainEvent):
    """Planning failed, or every unit failed."""

    context = "jobs"
    error: str
    result: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobCancelled(DomainEvent):
    """Stopped on request: units not started yet are skipped; those running finish."""

    context = "jobs"
    cancelled_by: UUID | None
    result: dict[str, Any]


# --- project job slot -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobSlotTaken(DomainEvent):
    """A job began to occupy its project; `conflicts`: the kinds it may not run beside."""

    context = "jobs"
    project_id: UUID
    job_id: UUID
    kind: str
    conflicts: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobSlotReleased(DomainEvent):
    context = "jobs"
    project_id: UUID
    job_id: UUID

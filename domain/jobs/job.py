"""A job: long work split into units, each with exactly one outcome.

queued → running (a worker took it) → completed (every unit has an outcome and at least one
did not fail) | failed (planning failed, or every unit failed) | cancelled (on request).
An outcome for a unit that already has one is ignored (`record_*` returns False): a unit
delivered twice is counted once, and whatever a kind writes beside the outcome in the same
unit of work happens once too. Outcomes still land after a cancel (the units that were running
finish; the others are skipped), never after completion or failure. A cancelled job's `result`
follows the outcomes that land after the cancel, so it always sums up the recorded units.
"""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import AlreadyExistsError, InvalidCommandError
from domain.events import DomainEvent
from domain.jobs.errors import JobAlreadyEndedError
from domain.jobs.events import (
    JobCancelled,
    JobCompleted,
    JobCreated,
    JobFailed,
    JobItemFailed,
    JobItemSkipped,
    JobItemSucceeded,
    JobPlanned,
    JobStarted,
    JobUnitProgressed,
)

QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED = "queued", "running", "completed", "failed", "cancelled"
FINISHED = frozenset({COMPLETED, FAILED, CANCELLED})
TAKES_OUTCOMES = frozenset({RUNNING, CANCELLED})
# what may still land on a cancelled job, changing what its result sums up
LATE_ON_CANCEL = (JobItemSucceeded, JobItemFailed, JobItemSkipped, JobPlanned)
MAX_UNIT_ID_LENGTH = 200
MAX_DETAIL_BYTES = 4000
MAX_ERROR_LENGTH = 1000
MAX_PARAMETERS_BYTES = 64_000


class Job(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.project_id: UUID | None = None
        self.kind = ""
        self.parameters: dict[str, Any] = {}
        self.created_by: UUID | None = None
        self.status = ""
        self.total: int | None = None
        self.finished_units: set[str] = set()
        self.succeeded = 0
        self.failed = 0
        self.skipped = 0
        self.cost = Decimal(0)
        self.error: str | None = None
        self.last_failure: str | None = None
        self.failures_differ = False
        self.result: dict[str, Any] = {}
        self.unit_progress: dict[str, int] = {}  # a long unit's `done`, see report_progress
        self.created_at: datetime | None = None
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def processed(self) -> int:
        return len(self.finished_units)

    def has_outcome(self, unit_id: str) -> bool:
        return unit_id in self.finished_units

    # -- commands ------------------------------------------------------------------------

    def create(
        self, *, org_id: UUID, project_id: UUID, kind: str, parameters: dict[str, Any],
        created_by: UUID | None,
    ) -> None:
        if self.exists:
            raise AlreadyExistsError("job already exists")
        self._record(JobCreated(
            org_id=org_id, project_id=project_id, kind=self.check_kind(kind),
            parameters=self.check_parameters(parameters), created_by=created_by,
        ))

    def start(self) -> bool:
        """queued → running; False when it is already past queued."""
        if self.status != QUEUED:
            return False
        self._record(JobStarted(org_id=self._org_id))
        return True

    def plan(self, total: int) -> bool:
        """Every unit is published: `total` of them. False when already planned or finished."""
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise InvalidCommandError("total must be a whole number of at least 0")
        if self.total is not None or self.status not in TAKES_OUTCOMES:
            return False
        self._record(JobPlanned(org_id=self._org_id, total=total))
        self._finish_when_done()
        return True

    def fail_planning(self, error: str) -> bool:
        """The job could not be split into units; False when it was planned or finished."""
        if self.total is not None or self.is_finished:
            return False
        self._record(JobFailed(org_id=self._org_id, error=self.check_error(error),
                               result=self.summary()))
        return True

    def report_progress(self, unit_id: str, done: int, expected: int | None = None) -> bool:
        """How far a long unit has come (rows of an import); False once the unit has its
        outcome or the job has ended. `done` never goes back (a unit run again after its
        worker died starts over, and its reports say so only once it is further)."""
        if not self._takes_outcome_for(unit_id):
            return False
        if isinstance(done, bool) or not isinstance(done, int) or done < 0:
            raise InvalidCommandError("done must be a whole number of at least 0")
        if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int)
                                     or expected < 0):
            raise InvalidCommandError("expected must be a whole number of at least 0")
        if done <= self.unit_progress.get(unit_id, -1):
            return False
        self._record(JobUnitProgressed(org_id=self._org_id, unit_id=unit_id, done=done,
                                       expected=None if expected is None else max(expected, done)))
        return True

    def record_success(
        self, unit_id: str, detail: dict[str, Any] | None = None, cost: Decimal = Decimal(0),
        attempts: int = 1,
    ) -> bool:
        if not self._takes_outcome_for(unit_id):
            return False
        if not isinstance(cost, Decimal | int) or isinstance(cost, bool) or cost < 0:
            raise InvalidCommandError("cost must be a number of at least 0")
        self._record(JobItemSucceeded(
            org_id=self._org_id, unit_id=unit_id, detail=self.check_detail(detail),
            cost=Decimal(cost), attempts=attempts,
        ))
        self._finish_when_done()
        return True

    def record_failure(
        self, unit_id: str, error: str, detail: dict[str, Any] | None = None, attempts: int = 1,
    ) -> bool:
        if not self._takes_outcome_for(unit_id):
            return False
        self._record(JobItemFailed(
            org_id=self._org_id, unit_id=unit_id, error=self.check_error(error),
            detail=self.check_detail(detail), attempts=attempts,
        ))
        self._finish_when_done()
        return True

    def record_skip(
        self, unit_id: str, reason: str, detail: dict[str, Any] | None = None, attempts: int = 1,
    ) -> bool:
        if not self._takes_outcome_for(unit_id):
            return False
        self._record(JobItemSkipped(
            org_id=self._org_id, unit_id=unit_id, reason=self.check_error(reason),
            detail=self.check_detail(detail), attempts=attempts,
        ))
        self._finish_when_done()
        return True

    def cancel(self, cancelled_by: UUID | None) -> bool:
        """Stop the job; False when it was already cancelled. A completed or failed job
        cannot be cancelled (ConflictError)."""
        if self.status == CANCELLED:
            return False
        if self.is_finished:
            raise JobAlreadyEndedError(f"the job has already {self.status}; it cannot be cancelled")
        self._record(JobCancelled(org_id=self._org_id, cancelled_by=cancelled_by,
                                  result=self.summary()))
        return True

    # -- rules ---------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What the job did so far, as its result shows it."""
        return {"total": self.total, "processed": self.processed, "succeeded": self.succeeded,
                "failed": self.failed, "skipped": self.skipped, "cost": str(self.cost)}

    def _takes_outcome_for(self, unit_id: str) -> bool:
        self.check_unit_id(unit_id)
        return self.status in TAKES_OUTCOMES and unit_id not in self.finished_units

    def _finish_when_done(self) -> None:
        if self.status != RUNNING or self.total is None or self.processed < self.total:
            return
        if self.total > 0 and self.succeeded == 0 and self.skipped == 0:
            self._record(JobFailed(org_id=self._org_id, error=self._every_item_failed(),
                                   result=self.summary()))
        else:
            self._record(JobCompleted(org_id=self._org_id, result=self.summary()))

    def _every_item_failed(self) -> str:
        """Why the job failed: the items' reason (the last one when they differ)."""
        if self.last_failure is None:
            return "every item failed"
        joint = "; the last: " if self.failures_differ else ": "
        return self.check_error("every item failed" + joint + self.last_failure)

    @staticmethod
    def check_kind(kind: str) -> str:
        if not kind or len(kind) > 100:
            raise InvalidCommandError("job_type must be 1 to 100 characters")
        return kind

    @staticmethod
    def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(parameters, dict):
            raise InvalidCommandError("payload must be an object")
        if len(_json(parameters, "payload")) > MAX_PARAMETERS_BYTES:
            raise InvalidCommandError(f"payload must be at most {MAX_PARAMETERS_BYTES} bytes of JSON")
        return parameters

    @staticmethod
    def check_unit_id(unit_id: str) -> None:
        if not isinstance(unit_id, str) or not 1 <= len(unit_id) <= MAX_UNIT_ID_LENGTH:
            raise InvalidCommandError(f"a unit id must be 1 to {MAX_UNIT_ID_LENGTH} characters")

    @staticmethod
    def check_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
        value = detail or {}
        if len(_json(value, "detail")) > MAX_DETAIL_BYTES:
            raise InvalidCommandError(f"a unit's detail must be at most {MAX_DETAIL_BYTES} bytes")
        return value

    @staticmethod
    def check_error(error: str) -> str:
        return (str(error).strip() or "unknown error")[:MAX_ERROR_LENGTH]

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the job was never created"
        return self.org_id

    # -- state ---------------------------------------------------------------------------

    def evolve(self, event: DomainEvent) -> None:
        self._apply(event)
        if self.status == CANCELLED and isinstance(event, LATE_ON_CANCEL):
            self.result = self.summary()

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case JobItemSucceeded(unit_id=unit_id, cost=cost):
                self.finished_units.add(unit_id)
                self.succeeded += 1
                self.cost += cost
            case JobItemFailed(unit_id=unit_id, error=error):
                self.finished_units.add(unit_id)
                self.failed += 1
                self.failures_differ |= self.last_failure not in (None, error)
                self.last_failure = error
            case JobItemSkipped(unit_id=unit_id):
                self.finished_units.add(unit_id)
                self.skipped += 1
            case JobCreated():
                self.org_id = event.org_id
                self.project_id = event.project_id
                self.kind = event.kind
                self.parameters = event.parameters
                self.created_by = event.created_by
                self.status = QUEUED
                self.created_at = event.occurred_at
            case JobStarted():
                self.status = RUNNING
                self.started_at = event.occurred_at
            case JobPlanned(total=total):
                self.total = total
            case JobUnitProgressed(unit_id=unit_id, done=done):
                self.unit_progress[unit_id] = done
            case JobCompleted(result=result):
                self._end(COMPLETED, event.occurred_at, result)
            case JobFailed(error=error, result=result):
                self._end(FAILED, event.occurred_at, result)
                self.error = error
            case JobCancelled(result=result):
                self._end(CANCELLED, event.occurred_at, result)

    def _end(self, status: str, at: datetime, result: dict[str, Any]) -> None:
        self.status = status
        self.finished_at = at
        self.result = result


def _json(value: object, name: str) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), default=_refuse)
    except (TypeError, ValueError) as error:
        raise InvalidCommandError(f"{name} must be plain JSON data: {error}") from None


def _refuse(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON")

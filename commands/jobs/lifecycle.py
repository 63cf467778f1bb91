"""Job commands: create (taking the project's slot), cancel, start, plan, fail planning.

Whenever a command finishes a job (completed, failed, cancelled) its project slot is released
in the same unit of work, so the next job may start as soon as this one has ended.
"""

import dataclasses
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.errors import NotFoundError
from domain.jobs.job import Job
from domain.jobs.slot import ProjectJobSlot, job_slot_id


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateJob:
    """`conflicts`: the kinds this job may not run beside on the project (its kind's)."""

    org_id: UUID
    project_id: UUID
    job_id: UUID
    kind: str
    parameters: dict[str, Any]
    conflicts: frozenset[str]
    created_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class CancelJob:
    org_id: UUID
    job_id: UUID
    cancelled_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartJob:
    job_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanJob:
    job_id: UUID
    total: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class FailJobPlanning:
    job_id: UUID
    error: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReportProgress:
    """How far a long unit of a job has come (see `Job.report_progress`)."""

    org_id: UUID
    job_id: UUID
    unit_id: str
    done: int
    expected: int | None = None


def create_job(uow: UnitOfWork, cmd: CreateJob) -> Job:
    """Queue a job; ConflictError (409) when a conflicting job runs on the project."""
    slot = uow.get(ProjectJobSlot, job_slot_id(cmd.org_id, cmd.project_id))
    slot.take(org_id=cmd.org_id, project_id=cmd.project_id, job_id=cmd.job_id, kind=cmd.kind,
              conflicts=cmd.conflicts)
    job = uow.get(Job, cmd.job_id)
    job.create(org_id=cmd.org_id, project_id=cmd.project_id, kind=cmd.kind,
               parameters=cmd.parameters, created_by=cmd.created_by)
    return job


def cancel_job(uow: UnitOfWork, cmd: CancelJob) -> Job:
    """Cancel a queued or running job (a cancelled one stays as it is); ConflictError when
    it has already completed or failed."""
    job = load_job(uow, cmd.org_id, cmd.job_id)
    job.cancel(cmd.cancelled_by)
    release_slot_when_finished(uow, job)
    return job


def start_job(uow: UnitOfWork, cmd: StartJob) -> Job:
    """queued → running, when a worker takes the job (nothing when it is past queued)."""
    job = uow.get_existing(Job, cmd.job_id, "job")
    job.start()
    return job


def plan_job(uow: UnitOfWork, cmd: PlanJob) -> Job:
    """Record how many units the job has (once); a job whose units are all done completes."""
    job = uow.get_existing(Job, cmd.job_id, "job")
    job.plan(cmd.total)
    release_slot_when_finished(uow, job)
    return job


def fail_job_planning(uow: UnitOfWork, cmd: FailJobPlanning) -> Job:
    job = uow.get_existing(Job, cmd.job_id, "job")
    job.fail_planning(cmd.error)
    release_slot_when_finished(uow, job)
    return job


def report_progress(uow: UnitOfWork, cmd: ReportProgress) -> Job:
    job = load_job(uow, cmd.org_id, cmd.job_id)
    job.report_progress(cmd.unit_id, cmd.done, cmd.expected)
    return job


def load_job(uow: UnitOfWork, org_id: UUID, job_id: UUID) -> Job:
    """A job of this organization; NotFoundError for another's."""
    job = uow.get_existing(Job, job_id, "job")
    if job.org_id != org_id:
        raise NotFoundError("job not found")
    return job


def release_slot_when_finished(uow: UnitOfWork, job: Job) -> None:
    if job.is_finished and job.org_id is not None and job.project_id is not None:
        slot = uow.get(ProjectJobSlot, job_slot_id(job.org_id, job.project_id))
        slot.release(org_id=job.org_id, project_id=job.project_id, job_id=job.id)


def release_slots(uow: UnitOfWork, jobs: Iterable[Job]) -> None:
    for job in jobs:
        release_slot_when_finished(uow, job)

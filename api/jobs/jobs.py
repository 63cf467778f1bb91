"""`/api/v1/projects/{id}/jobs` and `/api/v1/jobs/{id}`: background jobs of a project — list,
create (409 while a conflicting job runs), status with per-item detail, cancel, and an event
stream of a job's progress.

The job kinds are those of `commands.jobs.kinds` (the workers run the same); a project named
in a route is checked by the app's project guard (`Services.project_guard`).
"""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Stream
from psycopg import AsyncConnection

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.jobs.job_types import SEED_WORDS, kind_name, shown_job_type
from api.paging import MAX_PAGE, MAX_PAGE_SIZE
from api.services import Services
from api.sse import job_event_stream, sse_response
from commands.jobs.lifecycle import CancelJob, CreateJob, cancel_job, create_job
from domain.errors import InvalidCommandError, NotFoundError
from domain.jobs.job import Job
from projections.jobs.queries import JobItemRow, JobRow, get_job, list_job_items, list_project_jobs

WAIT_FOR = ("jobs",)
STATUSES = ("queued", "running", "completed", "failed", "cancelled")


class JobIn(msgspec.Struct):
    job_type: str
    payload: dict[str, Any] = {}


class JobCreated(msgspec.Struct):
    job_id: UUID
    status: str


class JobSummary(msgspec.Struct):
    id: UUID
    job_type: str
    status: str
    progress_current: int
    progress_total: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    error: str | None

    @classmethod
    def of(cls, job: JobRow) -> "JobSummary":
        return cls(id=job.id, job_type=shown_job_type(job.job_type), status=job.status,
                   progress_current=job.progress_current, progress_total=job.progress_of,
                   created_at=job.created_at, started_at=job.started_at,
                   completed_at=job.completed_at, error=job.error)


class JobItemOut(msgspec.Struct):
    unit_id: str
    status: str
    error: str | None
    detail: dict[str, Any]
    cost: str
    attempts: int
    finished_at: datetime

    @classmethod
    def of(cls, item: JobItemRow) -> "JobItemOut":
        return cls(unit_id=item.unit_id, status=item.status, error=item.error,
                   detail=item.detail, cost=str(item.cost), attempts=item.attempts,
                   finished_at=item.finished_at)


class JobOut(msgspec.Struct):
    """The seed's job, plus its project, counters, cost and the page of `progress_detail`."""

    id: UUID
    job_type: str
    status: str
    progress_current: int
    progress_total: int
    progress_detail: list[JobItemOut]
    result: dict[str, Any]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    project_id: UUID
    succeeded: int
    failed: int
    skipped: int
    cost: str
    progress_detail_total: int
    page: int
    page_size: int


async def check_project(
    services: Services, conn: AsyncConnection, org_id: UUID, project_id: UUID
) -> None:
    """NotFoundError unless the project is the organization's (the app's project guard)."""
    await services.project_guard(conn, org_id, project_id)


async def _job_out(
    services: Services, org_id: UUID, job_id: UUID, page: int = 1, page_size: int = 100,
) -> JobOut:
    async with services.pool.connection() as conn:
        job = await get_job(conn, org_id, job_id)
        if job is None:
            raise NotFoundError("job not found")
        items, count = await list_job_items(conn, org_id, job_id, page=page,
                                            page_size=page_size)
    return JobOut(
        id=job.id, job_type=shown_job_type(job.job_type), status=job.status,
        progress_current=job.progress_current, progress_total=job.progress_of,
        progress_detail=[JobItemOut.of(item) for item in items], result=job.result,
        error=job.error, created_at=job.created_at, started_at=job.started_at,
        completed_at=job.completed_at, project_id=job.project_id, succeeded=job.succeeded,
        failed=job.failed, skipped=job.skipped, cost=str(job.cost),
        progress_detail_total=count, page=page, page_size=page_size,
    )


@get("/api/v1/projects/{project_id:uuid}/jobs", operation_id="list_project_jobs", tags=["jobs"],
     summary="List project jobs", dependencies=AUTHENTICATED)
async def list_jobs(
    services: AppServices, principal: Caller, project_id: UUID,
    status: Annotated[str | None, Parameter(description="only jobs in this status")] = None,
) -> list[JobSummary]:
    """Up to 50 most recent jobs of the project, newest first."""
    if status is not None and status not in STATUSES:
        raise InvalidCommandError(f"status must be one of: {', '.join(STATUSES)}")
    async with services.pool.connection() as conn:
        await check_project(services, conn, principal.org_id, project_id)
        jobs = await list_project_jobs(conn, principal.org_id, project_id, status=status)
    return [JobSummary.of(job) for job in jobs]


@post("/api/v1/projects/{project_id:uuid}/jobs", operation_id="create_project_job",
      tags=["jobs"], summary="Create background job", status_code=200,
      dependencies=AUTHENTICATED)
async def create_project_job(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
    data: JobIn,
) -> JobCreated:
    """Queue a job of `job_type` (the specification's `generation`, `regeneration`,
    `import`, `sync`, or a kind's own name) with `payload` as its parameters; 409 while a
    conflicting job runs on the project, 422 for an unknown type, parameters it refuses or
    (`sync`) a project without a store connection, 402 (`generation`) when the XCT balance
    cannot pay for an item."""
    kind = services.job_kinds.get(kind_name(data.job_type))
    if kind is None:
        words = [w for w, k in SEED_WORDS.items() if k in services.job_kinds]
        known = ", ".join([*words, *sorted(services.job_kinds)]) or "none"
        raise InvalidCommandError(f"job_type must be one of: {known}")
    parameters = kind.check_parameters(Job.check_parameters(data.payload))
    async with services.pool.connection() as conn:
        await check_project(services, conn, principal.org_id, project_id)
        check_start = getattr(kind, "check_start", None)  # a kind's own check, if it has one
        if check_start is not None:
            await check_start(conn, services.settings, principal.org_id, project_id, parameters)
    job_id = uuid4()
    await run_command(request, principal, create_job, CreateJob(
        org_id=principal.org_id, project_id=project_id, job_id=job_id, kind=kind.name,
        parameters=parameters, conflicts=kind.conflicts, created_by=principal.user_id,
    ), wait_for=WAIT_FOR)
    return JobCreated(job_id=job_id, status="queued")


@get("/api/v1/jobs/{job_id:uuid}", operation_id="get_job", tags=["jobs"],
     summary="Get job status", dependencies=AUTHENTICATED)
async def get_job_status(
    services: AppServices, principal: Caller, job_id: UUID,
    page: Annotated[int, Parameter(ge=1, le=MAX_PAGE, description="page of progress_detail")] = 1,
    page_size: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 100,
) -> JobOut:
    """Status, progress and result of a job, with one page of its finished items."""
    return await _job_out(services, principal.org_id, job_id, page, page_size)


@post("/api/v1/jobs/{job_id:uuid}/cancel", operation_id="cancel_job", tags=["jobs"],
      summary="Cancel a job", status_code=200, dependencies=AUTHENTICATED)
async def cancel(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, job_id: UUID,
) -> JobOut:
    """Cancel a queued or running job: items not started are skipped, running ones finish.
    409 when it has already completed or failed; a cancelled job stays as it is."""
    await run_command(request, principal, cancel_job, CancelJob(
        org_id=principal.org_id, job_id=job_id, cancelled_by=principal.user_id,
    ), wait_for=WAIT_FOR)
    return await _job_out(services, principal.org_id, job_id)


@get("/api/v1/jobs/{job_id:uuid}/stream", operation_id="stream_job", tags=["jobs"],
     media_type="text/event-stream",
     summary="Stream job progress", dependencies=AUTHENTICATED)
async def stream_job(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, job_id: UUID,
) -> Stream:
    """Server-Sent Events: `item`, `error`, `progress` as the job goes, then `done`;
    heartbeat comments while it is quiet. Leaving the stream does not stop the job."""
    async with services.pool.connection() as conn:
        if await get_job(conn, principal.org_id, job_id) is None:
            raise NotFoundError("job not found")
    last = request.headers.get("last-event-id", "")
    return sse_response(job_event_stream(
        services, principal.org_id, job_id, heartbeat=services.settings.sse_heartbeat_seconds,
        after=int(last) if last.isdigit() else 0,
    ))


ROUTES = [list_jobs, create_project_job, get_job_status, cancel, stream_job]

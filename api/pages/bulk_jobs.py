"""`POST /api/v1/ai-pages/pages/bulk-generate` (≡ `/api/ai-pages/pages/bulk-generate/`): a
page for every active saved query, generated, as one job; `/api/v1/ai-pages/bulk-jobs`:
those jobs, newest first, and one with a per-page breakdown. Statuses as the specification
names them: pending, running, complete, partial_failure."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, get, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.pages.page_writer_choice import PageWriterIn, chosen_writer
from commands.pages import landing as handlers
from domain.errors import NotFoundError
from domain.pages.landing import bulk_slot_id
from projections.jobs.queries import JobRow, get_job, list_job_items, list_project_jobs

MAX_PAGES = 1000


class BulkQueued(msgspec.Struct):
    job_id: UUID
    status: str


class BulkPage(msgspec.Struct):
    query: int | None
    page: int | None
    status: str
    products: int | None
    error: str | None


class BulkJobOut(msgspec.Struct):
    id: UUID
    status: str
    total: int | None
    succeeded: int
    failed: int
    xct_cost: str
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None


class BulkJobDetail(BulkJobOut):
    pages: list[BulkPage]


def bulk_status(row: JobRow) -> str:
    if row.status == "queued":
        return "pending"
    if row.status == "running":
        return "running"
    return "complete" if row.status == "completed" and row.failed == 0 else "partial_failure"


def _summary(row: JobRow) -> dict[str, Any]:
    return {"id": row.id, "status": bulk_status(row), "total": row.progress_total,
            "succeeded": row.succeeded, "failed": row.failed,
            "xct_cost": format(Decimal(row.cost), "f"), "created_at": row.created_at,
            "started_at": row.started_at, "completed_at": row.completed_at}


@post("/api/v1/ai-pages/pages/bulk-generate", operation_id="bulk_generate_pages",
      tags=["pages"], status_code=202, summary="Generate pages for every active query",
      dependencies=AUTHENTICATED)
async def bulk_generate(request: Request[Any, Any, Any], services: AppServices,
                        principal: Caller, data: PageWriterIn | None = None) -> BulkQueued:
    """Queue a job making a page for every active saved query that has none and generating
    each (with the text model the body names, else offline); 409 while one runs for the
    organization."""
    job_id = uuid4()
    writer = await chosen_writer(services, principal, data)
    await run_command(request, principal, handlers.start_bulk_generation,
                      handlers.StartBulkGeneration(org_id=principal.org_id, job_id=job_id,
                                                   created_by=principal.user_id, writer=writer),
                      wait_for=("jobs",))
    return BulkQueued(job_id=job_id, status="queued")


@get("/api/v1/ai-pages/bulk-jobs", operation_id="list_bulk_jobs", tags=["pages"],
     summary="List bulk jobs", dependencies=AUTHENTICATED)
async def read_bulk_jobs(services: AppServices, principal: Caller) -> list[BulkJobOut]:
    """The organization's bulk generations, newest first."""
    async with services.pool.connection() as conn:
        rows = await list_project_jobs(conn, principal.org_id, bulk_slot_id(principal.org_id))
    return [BulkJobOut(**_summary(row)) for row in rows]


@get("/api/v1/ai-pages/bulk-jobs/{job_id:uuid}", operation_id="get_bulk_job", tags=["pages"],
     summary="Get a bulk job", dependencies=AUTHENTICATED)
async def read_bulk_job(services: AppServices, principal: Caller, job_id: UUID) -> BulkJobDetail:
    """One bulk generation with what became of each query's page."""
    async with services.pool.connection() as conn:
        row = await get_job(conn, principal.org_id, job_id)
        if row is None or row.project_id != bulk_slot_id(principal.org_id):
            raise NotFoundError("bulk job not found")
        items, _ = await list_job_items(conn, principal.org_id, job_id, page_size=MAX_PAGES)
    pages = [BulkPage(query=item.detail.get("query"), page=item.detail.get("page"),
                      status=item.status, products=item.detail.get("products"),
                      error=item.error) for item in items]
    return BulkJobDetail(**_summary(row), pages=pages)


ROUTES = [bulk_generate, read_bulk_jobs, read_bulk_job]

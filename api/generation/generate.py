"""Generation routes: `/api/v1/projects/{id}/generate`, `/regenerate`, `/regenerate-rejected`
(each also as `/stream`), and `/items/{item_id}/regenerate`.

Each starts a job of the matching kind (`commands.generation.kinds`): 409 while a conflicting
job (a generation or an import) runs on the project, 402 before any work when the balance
cannot pay for one item at the estimated size (the checks before the job are
`commands.generation.preflight`; the job then charges what each item really took and fails
the items the balance no longer covers). The plain routes wait for the job (up to `WAIT_SECONDS`) and
answer the per-item results with the job id in `X-Job-Id`, or 202 with the job id when it
takes longer; the `/stream` routes answer the job's Server-Sent Events at once. Leaving a
stream or a waiting request does not stop the job.
"""

import time
from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, Response, post
from litestar.openapi import ResponseSpec
from litestar.response import Stream

from adapters.secret_box import SecretBox
from api.auth import AUTHENTICATED, Caller
from api.catalog.item_schemas import ItemOut
from api.commanding import run_command
from api.dependencies import AppServices
from api.services import Services
from api.sse import job_event_stream, sse_response
from commands.generation.kinds import (
    GENERATE,
    NO_BALANCE,
    REGENERATE,
    REGENERATE_REJECTED,
)
from commands.generation.preflight import (
    GenerationRequest,
    check_generation_can_start,
    check_generation_request,
)
from commands.jobs.lifecycle import CreateJob, create_job
from domain.errors import InsufficientBalanceError, NotFoundError, UnavailableError
from projections.catalog.queries import get_items
from projections.jobs.queries import JobRow, get_job, list_job_items

WAIT_SECONDS = 600.0
"""How long a plain route waits for its job before answering 202 with the job's id."""
WAIT_FOR = ("jobs",)
SHOWS_WORK = ("catalog", "billing")
RESULT_PAGE = 100


class GenerateIn(msgspec.Struct):
    """The seed's generation body; every field optional."""

    content_type: str | None = None
    content_variant: str | None = None
    language: str | None = None
    tone: str | None = None
    ai_provider: str | None = None
    ai_model: str | None = None
    custom_instructions: str | None = None
    max_short_chars: int | None = None
    max_long_chars: int | None = None
    translate_name: bool | None = None
    use_html: bool | None = None
    use_html_short: bool | None = None
    generate_short: bool | None = None
    generate_long: bool | None = None
    item_ids: list[UUID] | None = None


class ItemResultOut(msgspec.Struct):
    """One item of a finished generation run."""

    item_id: str
    status: str
    """generated, flagged, failed or skipped."""
    confidence_score: float | None
    ai_provider: str | None
    ai_model: str | None
    cached: bool
    input_tokens: int
    output_tokens: int
    xct_cost: str
    error: str | None


class JobStarted(msgspec.Struct):
    job_id: UUID
    status: str


STILL_RUNNING = ResponseSpec(JobStarted, generate_examples=False,
                             description="The job is still running after the wait;"
                             " follow it at `/api/v1/jobs/{job_id}`.")


async def start_generation(
    request: Request[Any, Any, Any], services: Services, principal: Caller, project_id: UUID,
    kind_name: str, body: GenerateIn, item_ids: list[UUID] | None = None,
) -> UUID:
    """Check the request and the balance (`commands.generation.preflight`), then queue the
    job; its id."""
    given = {k: v for k, v in msgspec.structs.asdict(body).items() if k != "item_ids"}
    ids = item_ids if item_ids is not None else body.item_ids
    checked = check_generation_request(services.job_kinds, GenerationRequest(
        kind=kind_name, settings=given, item_ids=ids))
    async with services.pool.connection() as conn:
        await services.project_guard(conn, principal.org_id, project_id)
        await check_generation_can_start(conn, SecretBox(services.settings.secret_key),
                                         services.settings, principal.org_id, project_id, checked)
    job_id = uuid4()
    await run_command(request, principal, create_job, CreateJob(
        org_id=principal.org_id, project_id=project_id, job_id=job_id, kind=checked.kind.name,
        parameters=checked.parameters, conflicts=checked.kind.conflicts,
        created_by=principal.user_id,
    ), wait_for=WAIT_FOR)
    return job_id


async def wait_for_job(services: Services, org_id: UUID, job_id: UUID,
                       seconds: float = WAIT_SECONDS) -> JobRow | None:
    """The job once it has ended and the items and balances show its work; None when it is
    still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        seen = services.positions.changed.get("jobs", 0)
        async with services.pool.connection() as conn:
            job = await get_job(conn, org_id, job_id)
        if job is not None and job.is_finished:
            await services.positions.wait(SHOWS_WORK, job.position,
                                          max(1.0, deadline - time.monotonic()))
            return job
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        await services.positions.wait_for_change("jobs", seen, min(left, 5.0))


async def item_results(services: Services, org_id: UUID, job_id: UUID) -> list[ItemResultOut]:
    results: list[ItemResultOut] = []
    page = 1
    async with services.pool.connection() as conn:
        while True:
            rows, total = await list_job_items(conn, org_id, job_id, page=page,
                                               page_size=RESULT_PAGE)
            for row in rows:
                d = row.detail
                status = d.get("status", "generated") if row.status == "succeeded" else row.status
                results.append(ItemResultOut(
                    item_id=str(d.get("item_id", row.unit_id)), status=status,
                    confidence_score=d.get("confidence_score"), ai_provider=d.get("provider"),
                    ai_model=d.get("model"), cached=bool(d.get("cached", False)),
                    input_tokens=int(d.get("input_tokens", 0)),
                    output_tokens=int(d.get("output_tokens", 0)), xct_cost=str(row.cost),
                    error=row.error))
            if page * RESULT_PAGE >= total or not rows:
                return results
            page += 1


async def _run_and_wait(
    request: Request[Any, Any, Any], services: Services, principal: Caller, project_id: UUID,
    kind: str, body: GenerateIn,
) -> Response[Any]:
    job_id = await start_generation(request, services, principal, project_id, kind, body)
    headers = {"X-Job-Id": str(job_id)}
    job = await wait_for_job(services, principal.org_id, job_id)
    if job is None:
        return Response(JobStarted(job_id=job_id, status="running"), status_code=202,
                        headers=headers)
    return Response(await item_results(services, principal.org_id, job_id), status_code=200,
                    headers=headers)


async def _run_and_stream(
    request: Request[Any, Any, Any], services: Services, principal: Caller, project_id: UUID,
    kind: str, body: GenerateIn,
) -> Stream:
    job_id = await start_generation(request, services, principal, project_id, kind, body)
    return sse_response(job_event_stream(services, principal.org_id, job_id,
                                         heartbeat=services.settings.sse_heartbeat_seconds),
                        headers={"X-Job-Id": str(job_id)})


_PROJECT = "/api/v1/projects/{project_id:uuid}"


@post(_PROJECT + "/generate", operation_id="generate_content", tags=["generation"],
      responses={202: STILL_RUNNING},
      summary="Generate content for pending items", status_code=200, dependencies=AUTHENTICATED)
async def generate(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                   project_id: UUID, data: GenerateIn) -> Response[list[ItemResultOut]]:
    """Write copy for the project's pending non-variant items (or `item_ids`); the per-item
    results once done, charged in XCT by the tokens used."""
    return await _run_and_wait(request, services, principal, project_id, GENERATE, data)


@post(_PROJECT + "/generate/stream", operation_id="generate_content_stream", tags=["generation"],
      media_type="text/event-stream",
      summary="Stream content generation progress", status_code=200, dependencies=AUTHENTICATED)
async def generate_stream(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, project_id: UUID, data: GenerateIn) -> Stream:
    """As `/generate`, answering the job's progress as Server-Sent Events."""
    return await _run_and_stream(request, services, principal, project_id, GENERATE, data)


@post(_PROJECT + "/regenerate", operation_id="regenerate_content", tags=["generation"],
      responses={202: STILL_RUNNING},
      summary="Regenerate all project content", status_code=200, dependencies=AUTHENTICATED)
async def regenerate(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                     project_id: UUID, data: GenerateIn) -> Response[list[ItemResultOut]]:
    """Write again the generated, flagged, approved and rejected items (or `item_ids`), each
    put back to pending first, asking the model afresh."""
    return await _run_and_wait(request, services, principal, project_id, REGENERATE, data)


@post(_PROJECT + "/regenerate/stream", operation_id="regenerate_content_stream",
      media_type="text/event-stream",
      tags=["generation"], summary="Stream full regeneration progress", status_code=200,
      dependencies=AUTHENTICATED)
async def regenerate_stream(request: Request[Any, Any, Any], services: AppServices,
                            principal: Caller, project_id: UUID, data: GenerateIn) -> Stream:
    return await _run_and_stream(request, services, principal, project_id, REGENERATE, data)


@post(_PROJECT + "/regenerate-rejected", operation_id="regenerate_rejected", tags=["generation"],
      responses={202: STILL_RUNNING},
      summary="Regenerate rejected items only", status_code=200, dependencies=AUTHENTICATED)
async def regenerate_rejected(request: Request[Any, Any, Any], services: AppServices,
                              principal: Caller, project_id: UUID,
                              data: GenerateIn) -> Response[list[ItemResultOut]]:
    """Write again only the rejected items (or those of `item_ids`)."""
    return await _run_and_wait(request, services, principal, project_id, REGENERATE_REJECTED, data)


@post(_PROJECT + "/regenerate-rejected/stream", operation_id="regenerate_rejected_stream",
      media_type="text/event-stream",
      tags=["generation"], summary="Stream rejected items regeneration", status_code=200,
      dependencies=AUTHENTICATED)
async def regenerate_rejected_stream(request: Request[Any, Any, Any], services: AppServices,
                                     principal: Caller, project_id: UUID,
                                     data: GenerateIn) -> Stream:
    return await _run_and_stream(request, services, principal, project_id, REGENERATE_REJECTED, data)


@post(_PROJECT + "/items/{item_id:uuid}/regenerate", operation_id="regenerate_item",
      responses={200: ResponseSpec(ItemOut, generate_examples=False,
                                 description="The item with its new copy."),
                 202: STILL_RUNNING},
      tags=["generation"], summary="Regenerate a single item", status_code=200,
      dependencies=AUTHENTICATED)
async def regenerate_item(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, project_id: UUID, item_id: UUID,
                          data: GenerateIn) -> Response[Any]:
    """Write one item again; the item with its new copy. 402 when the balance cannot pay,
    503 when the provider failed (nothing charged); 202 with the job id if it takes long."""
    job_id = await start_generation(request, services, principal, project_id, REGENERATE, data,
                                    [item_id])
    headers = {"X-Job-Id": str(job_id)}
    job = await wait_for_job(services, principal.org_id, job_id)
    if job is None:
        return Response(JobStarted(job_id=job_id, status="running"), status_code=202,
                        headers=headers)
    results = await item_results(services, principal.org_id, job_id)
    failed = next((r for r in results if r.status in ("failed", "skipped")), None)
    if failed is not None:
        if failed.error == NO_BALANCE:
            raise InsufficientBalanceError(NO_BALANCE)
        raise UnavailableError(f"the item could not be written: {failed.error}", retry_after=30)
    async with services.pool.connection() as conn:
        rows = await get_items(conn, principal.org_id, project_id, [item_id])
    if not rows:
        raise NotFoundError("item not found")
    return Response(ItemOut.of(rows[0]), headers=headers)


ROUTES = [generate, generate_stream, regenerate, regenerate_stream, regenerate_rejected,
          regenerate_rejected_stream, regenerate_item]

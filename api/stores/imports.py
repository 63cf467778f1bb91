"""`/api/v1/projects/{id}/import/…`: import the products of the project's connected store.
`filters` lists the store's choices, `preview` counts the matching products without
fetching them, `execute` queues a `store.import` job (follow it at `/api/v1/jobs/<id>`).
A project without a store connection is 422; a store that cannot be reached 503."""

import math
from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, get, post

from adapters.stores.http import StoreError
from adapters.stores.reading import PAGE_SIZES, check_filters, store_count, store_filters
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.stores.store_of_project import project_store, store_failure
from commands.stores import imports as handlers

IMPORT_PATH = "/api/v1/projects/{project_id:uuid}/import"
SECONDS_PER_BATCH = 2.0
"""A rough estimate: one page read and written."""


class FiltersOut(msgspec.Struct):
    platform: str
    filters: dict[str, list[Any]]
    """Per filter name, the values the store offers (empty: free text)."""


class ImportIn(msgspec.Struct):
    filters: dict[str, str | int] = msgspec.field(default_factory=dict)
    """A filter name of `…/import/filters` → the value to match."""


class PreviewOut(msgspec.Struct):
    count: int
    batches: int
    estimated_time_seconds: float


class ExecuteOut(msgspec.Struct):
    job_id: UUID
    estimated_batches: int


async def _count(services: AppServices, principal: Caller, project_id: UUID,
                 data: ImportIn) -> tuple[dict[str, str], int, int]:
    project, client = await project_store(services, principal.org_id, project_id)
    filters = check_filters(project.platform, dict(data.filters))
    try:
        count = await store_count(client, filters)
    except StoreError as error:
        raise store_failure(error) from error
    return filters, count, math.ceil(count / PAGE_SIZES[project.platform])


@get(IMPORT_PATH + "/filters", operation_id="get_import_filters", tags=["store-import"],
     summary="Get available import filters", dependencies=AUTHENTICATED)
async def read_filters(services: AppServices, principal: Caller,
                       project_id: UUID) -> FiltersOut:
    """The filters the project's store offers (collections or categories, statuses …)."""
    project, client = await project_store(services, principal.org_id, project_id)
    try:
        return FiltersOut(platform=project.platform, filters=await store_filters(client))
    except StoreError as error:
        raise store_failure(error) from error


@post(IMPORT_PATH + "/preview", operation_id="preview_import", tags=["store-import"],
      status_code=200, summary="Preview import count", dependencies=AUTHENTICATED)
async def preview(services: AppServices, principal: Caller, project_id: UUID,
                  data: ImportIn) -> PreviewOut:
    """How many products match, in how many pages, about how long an import takes; 422
    naming a filter the store does not have."""
    _, count, batches = await _count(services, principal, project_id, data)
    return PreviewOut(count=count, batches=batches,
                      estimated_time_seconds=batches * SECONDS_PER_BATCH)


@post(IMPORT_PATH + "/execute", operation_id="execute_import", tags=["store-import"],
      status_code=200, summary="Start store import", dependencies=AUTHENTICATED)
async def execute(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                  project_id: UUID, data: ImportIn) -> ExecuteOut:
    """Queue a `store.import` job for the matching products (409 while an import or a
    generation runs on the project); a product imported before stays the same item."""
    filters, _, batches = await _count(services, principal, project_id, data)
    job_id = uuid4()
    await run_command(request, principal, handlers.start_store_import,
                      handlers.StartStoreImport(org_id=principal.org_id, project_id=project_id,
                                                job_id=job_id, filters=filters,
                                                created_by=principal.user_id),
                      wait_for=("jobs",))
    return ExecuteOut(job_id=job_id, estimated_batches=batches)


ROUTES = [read_filters, preview, execute]

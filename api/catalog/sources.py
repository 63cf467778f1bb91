"""`/api/v1/projects/{id}/sources`: a project's data sources; manual ones are made here."""

from typing import Any
from uuid import UUID, uuid4

from litestar import Request, delete, get, post
from litestar.openapi.spec import OpenAPIType, Schema

from api.auth import AUTHENTICATED, Caller
from api.catalog.manual_products import manual_records
from api.catalog.project_schemas import ManualSourceForm, SourceOut, SourcesOut
from api.catalog.projects import PROJECT_PATH, find_project
from api.commanding import run_command
from api.dependencies import AppServices
from api.forms import form_operation, read_form
from commands.catalog.sources import AddManualSource, DeleteSource, add_manual_source, delete_source
from domain.errors import NotFoundError
from projections.catalog.queries import get_source, list_sources

WAIT_FOR = ("catalog",)


@get(PROJECT_PATH + "/sources", operation_id="list_project_sources", tags=["sources"],
     summary="List project data sources", dependencies=AUTHENTICATED)
async def read_sources(services: AppServices, principal: Caller, project_id: UUID) -> SourcesOut:
    """The project's sources, newest first, and how many items they hold in all."""
    await find_project(services, principal.org_id, project_id)
    async with services.pool.connection() as conn:
        sources = await list_sources(conn, principal.org_id, project_id)
    return SourcesOut(sources=[SourceOut.of(s) for s in sources],
                      total_items=sum(s.item_count for s in sources))


@post(PROJECT_PATH + "/sources/manual", operation_id="create_manual_source", tags=["sources"],
      status_code=200, summary="Create manual data source", dependencies=AUTHENTICATED,
      operation_class=form_operation({
          "name": Schema(type=OpenAPIType.STRING, default="Manual Entry"),
          "items": Schema(type=OpenAPIType.STRING,
                          description="optional: a JSON array of products (objects)"),
      }, required=()))
async def create_manual_source(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
) -> SourceOut:
    """A manual-entry source from a form body: `name` (default "Manual Entry") and optional
    `items`, a JSON array of products, each of which becomes a content item."""
    form = await read_form(request, ManualSourceForm)
    records = manual_records(form.items)
    source_id = uuid4()
    await run_command(request, principal, add_manual_source, AddManualSource(
        org_id=principal.org_id, project_id=project_id, source_id=source_id, name=form.name,
        records=records), wait_for=WAIT_FOR)
    async with services.pool.connection() as conn:
        source = await get_source(conn, principal.org_id, project_id, source_id)
    if source is None:
        raise NotFoundError("data source not found")
    return SourceOut.of(source)


@delete(PROJECT_PATH + "/sources/{source_id:uuid}", operation_id="delete_source",
        tags=["sources"], summary="Delete a data source", dependencies=AUTHENTICATED)
async def remove_source(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID, source_id: UUID,
) -> None:
    """Delete the source and every item imported from it; 204."""
    await run_command(request, principal, delete_source, DeleteSource(
        org_id=principal.org_id, project_id=project_id, source_id=source_id), wait_for=WAIT_FOR)


ROUTES = [read_sources, create_manual_source, remove_source]

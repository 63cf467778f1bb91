"""`/api/v1/projects`: an organization's projects, their trash, truncation and purge.

Members create, read, update and restore projects; moving one to the trash, truncating and
deleting it for good need an admin.
"""

from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, patch, post
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.catalog.project_schemas import ProjectForm, ProjectOut, ProjectUpdate, TruncateOut
from api.commanding import run_command
from api.dependencies import AppServices
from api.forms import form_operation, read_form
from api.guards import admin_only
from api.principal import Principal
from api.services import Services
from commands.catalog import projects as handlers
from domain.catalog.project import MAX_NAME_LENGTH
from domain.catalog.records import PLATFORMS
from domain.errors import MalformedInputError, NotFoundError
from projections.catalog.queries import get_project, list_projects

WAIT_FOR = ("catalog",)
PROJECT_PATH = "/api/v1/projects/{project_id:uuid}"


async def find_project(services: Services, org_id: UUID, project_id: UUID) -> ProjectOut:
    """The organization's project (trashed or not) as the API shows it; 404 otherwise."""
    async with services.pool.connection() as conn:
        project = await get_project(conn, org_id, project_id)
    if project is None:
        raise NotFoundError("project not found")
    return ProjectOut.of(project)


def _store_connection(value: str | msgspec.UnsetType | None) -> tuple[UUID | None, bool]:
    """(connection id, unlink) from the update's `store_connection_id`: absent keeps it,
    null or "" unlinks it."""
    if isinstance(value, msgspec.UnsetType):
        return None, False
    if value is None or not value.strip():
        return None, True
    try:
        return UUID(value), False
    except ValueError:
        raise MalformedInputError("store_connection_id must be a UUID") from None


@get("/api/v1/projects", operation_id="list_projects", tags=["projects"],
     summary="List all projects", dependencies=AUTHENTICATED)
async def read_projects(
    services: AppServices, principal: Caller,
    include_deleted: Annotated[bool, Parameter(
        description="true: only the projects in the trash; false: only active ones")] = False,
) -> list[ProjectOut]:
    """The organization's projects, newest first, with their item and source counts."""
    async with services.pool.connection() as conn:
        projects = await list_projects(conn, principal.org_id, deleted=include_deleted)
    return [ProjectOut.of(p) for p in projects]


@post("/api/v1/projects", operation_id="create_project", tags=["projects"], status_code=200,
      summary="Create a new project", dependencies=AUTHENTICATED,
      operation_class=form_operation({
          "name": Schema(type=OpenAPIType.STRING, max_length=MAX_NAME_LENGTH),
          "platform": Schema(type=OpenAPIType.STRING, enum=list(PLATFORMS)),
      }, required=("name", "platform")))
async def create_project(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
) -> ProjectOut:
    """A new project in draft, from a form body: `name`, `platform` (woocommerce, shopify,
    magento2)."""
    form = await read_form(request, ProjectForm)
    project_id = uuid4()
    await run_command(request, principal, handlers.create_project, handlers.CreateProject(
        org_id=principal.org_id, project_id=project_id, name=form.name, platform=form.platform,
    ), wait_for=WAIT_FOR)
    return await find_project(services, principal.org_id, project_id)


@get(PROJECT_PATH, operation_id="get_project", tags=["projects"],
     summary="Get project details", dependencies=AUTHENTICATED)
async def read_project(services: AppServices, principal: Caller, project_id: UUID) -> ProjectOut:
    """One project (also from the trash), with its counts."""
    return await find_project(services, principal.org_id, project_id)


@patch(PROJECT_PATH, operation_id="update_project", tags=["projects"],
       summary="Update a project", dependencies=AUTHENTICATED)
async def update_project(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
    data: ProjectUpdate,
) -> ProjectOut:
    """Change the given fields of a project that is not in the trash."""
    connection, unlink = _store_connection(data.store_connection_id)
    await run_command(request, principal, handlers.update_project, handlers.UpdateProject(
        org_id=principal.org_id, project_id=project_id, name=data.name, settings=data.settings,
        store_connection_id=connection, clear_store_connection=unlink,
    ), wait_for=WAIT_FOR)
    return await find_project(services, principal.org_id, project_id)


@delete(PROJECT_PATH, operation_id="delete_project", tags=["projects"],
        summary="Soft-delete a project", dependencies=AUTHENTICATED, guards=[admin_only])
async def trash_project(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID,
    permanent: Annotated[bool, Parameter(
        description="true: delete for good, with its sources and items")] = False,
) -> None:
    """Move the project to the trash (admin), or delete it for good with `permanent=true`."""
    if permanent:
        await _purge(request, principal, project_id)
        return
    await run_command(request, principal, handlers.trash_project, handlers.TrashProject(
        org_id=principal.org_id, project_id=project_id), wait_for=WAIT_FOR)


@delete(PROJECT_PATH + "/permanent", operation_id="purge_project", tags=["projects"],
        summary="Permanently delete a project", dependencies=AUTHENTICATED, guards=[admin_only])
async def purge_project(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID,
) -> None:
    """Delete the project for good, with every source and item of it (admin)."""
    await _purge(request, principal, project_id)


async def _purge(request: Request[Any, Any, Any], principal: Principal, project_id: UUID) -> None:
    await run_command(request, principal, handlers.purge_project, handlers.PurgeProject(
        org_id=principal.org_id, project_id=project_id), wait_for=WAIT_FOR)


@post(PROJECT_PATH + "/restore", operation_id="restore_project", tags=["projects"],
      status_code=200, summary="Restore a deleted project", dependencies=AUTHENTICATED)
async def restore_project(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
) -> ProjectOut:
    """Take the project out of the trash."""
    await run_command(request, principal, handlers.restore_project, handlers.RestoreProject(
        org_id=principal.org_id, project_id=project_id), wait_for=WAIT_FOR)
    return await find_project(services, principal.org_id, project_id)


@post(PROJECT_PATH + "/truncate", operation_id="truncate_project", tags=["projects"],
      status_code=200, summary="Truncate project data", dependencies=AUTHENTICATED,
      guards=[admin_only])
async def truncate_project(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID,
) -> TruncateOut:
    """Delete every source and item of the project, keeping the project (admin); 409 while
    a job runs on it."""
    outcome = await run_command(request, principal, handlers.truncate_project,
                                handlers.TruncateProject(org_id=principal.org_id,
                                                         project_id=project_id),
                                wait_for=WAIT_FOR)
    result = outcome.result
    return TruncateOut(message="project data deleted", sources_deleted=result.sources_deleted,
                       items_deleted=result.items_deleted)


ROUTES = [read_projects, create_project, read_project, update_project, trash_project,
          purge_project, restore_project, truncate_project]

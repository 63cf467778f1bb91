"""`/api/v1/projects/{id}/items`: the items of a project and their review (any member)."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Response, get, patch, post
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.catalog.item_schemas import (
    BatchStatusIn,
    ItemIdsIn,
    ItemOut,
    ItemsChangedOut,
    ItemUpdate,
)
from api.catalog.projects import PROJECT_PATH, find_project
from api.commanding import run_command
from api.dependencies import AppServices
from api.paging import MAX_PAGE, MAX_PAGE_SIZE
from api.services import Services
from commands.catalog import items as handlers
from domain.catalog.item_status import STATUS_COUNT_KEYS
from domain.errors import MalformedInputError, NotFoundError
from projections.catalog.queries import ItemFilter, count_items, get_items, list_items

WAIT_FOR = ("catalog",)
ITEMS_PATH = PROJECT_PATH + "/items"


def check_status_filter(status: str | None, field: str = "status") -> str | None:
    if status is not None and status not in STATUS_COUNT_KEYS:
        raise MalformedInputError(f"unknown {field} {status!r}: expected one of"
                                  f" {', '.join(STATUS_COUNT_KEYS)}")
    return status


async def _items(services: Services, org_id: UUID, project_id: UUID,
                 item_ids: list[UUID]) -> list[ItemOut]:
    async with services.pool.connection() as conn:
        return [ItemOut.of(row) for row in await get_items(conn, org_id, project_id, item_ids)]


@get(ITEMS_PATH, operation_id="list_project_items", tags=["content"],
     summary="List content items", dependencies=AUTHENTICATED)
async def read_items(
    services: AppServices, principal: Caller, project_id: UUID,
    status: Annotated[str | None, Parameter(
        description="pending, generated, flagged, approved, rejected, synced or excluded")] = None,
    source_id: UUID | None = None,
    search: Annotated[str | None, Parameter(
        max_length=200, description="text in the name, SKU, id or generated copy")] = None,
    page: Annotated[int | None, Parameter(ge=1, le=MAX_PAGE)] = None,
    page_size: Annotated[int | None, Parameter(ge=1, le=MAX_PAGE_SIZE)] = None,
) -> Response[list[ItemOut]]:
    """The project's items in import order. Every match unless `page` or `page_size` is
    given: then that page (default 1 and 50), with `X-Total-Count` in the headers."""
    await find_project(services, principal.org_id, project_id)
    item_filter = ItemFilter(status=check_status_filter(status), source_id=source_id,
                             search=search)
    headers: dict[str, str] = {}
    async with services.pool.connection() as conn:
        if page is None and page_size is None:
            rows = await list_items(conn, principal.org_id, project_id, item_filter)
        else:
            number, size = page or 1, page_size or 50
            rows = await list_items(conn, principal.org_id, project_id, item_filter,
                                    limit=size, offset=(number - 1) * size)
            total = await count_items(conn, principal.org_id, project_id, item_filter)
            headers = {"X-Total-Count": str(total), "X-Page": str(number),
                       "X-Page-Size": str(size)}
    return Response([ItemOut.of(row) for row in rows], headers=headers)


@patch(ITEMS_PATH + "/batch", operation_id="batch_update_items", tags=["content"],
       summary="Batch update item statuses", dependencies=AUTHENTICATED)
async def batch_update_items(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
    data: BatchStatusIn,
) -> list[ItemOut]:
    """Set one status (approved, rejected, flagged, pending) on every item given; all or
    nothing."""
    outcome = await run_command(request, principal, handlers.batch_set_status,
                                handlers.BatchSetStatus(
                                    org_id=principal.org_id, project_id=project_id,
                                    item_ids=data.item_ids, status=data.status,
                                    actor_id=principal.actor_id), wait_for=WAIT_FOR)
    return await _items(services, principal.org_id, project_id, outcome.result)


@post(ITEMS_PATH + "/exclude", operation_id="exclude_items", tags=["content"], status_code=200,
      summary="Exclude items", dependencies=AUTHENTICATED)
async def exclude_items(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID, data: ItemIdsIn,
) -> ItemsChangedOut:
    """Leave items out (a parent's variants too); the items excluded now."""
    outcome = await run_command(request, principal, handlers.exclude_items,
                                handlers.ExcludeItems(org_id=principal.org_id,
                                                      project_id=project_id,
                                                      item_ids=data.item_ids,
                                                      actor_id=principal.actor_id),
                                wait_for=WAIT_FOR)
    return ItemsChangedOut(count=len(outcome.result), item_ids=outcome.result)


@post(ITEMS_PATH + "/restore", operation_id="restore_items", tags=["content"], status_code=200,
      summary="Restore excluded items", dependencies=AUTHENTICATED)
async def restore_items(
    request: Request[Any, Any, Any], principal: Caller, project_id: UUID, data: ItemIdsIn,
) -> ItemsChangedOut:
    """Take items back (a parent's variants too); the items restored now."""
    outcome = await run_command(request, principal, handlers.restore_items,
                                handlers.RestoreItems(org_id=principal.org_id,
                                                      project_id=project_id,
                                                      item_ids=data.item_ids,
                                                      actor_id=principal.actor_id),
                                wait_for=WAIT_FOR)
    return ItemsChangedOut(count=len(outcome.result), item_ids=outcome.result)


@patch(ITEMS_PATH + "/{item_id:uuid}", operation_id="update_item", tags=["content"],
       summary="Update a content item", dependencies=AUTHENTICATED)
async def update_item(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
    item_id: UUID, data: ItemUpdate,
) -> ItemOut:
    """The reviewer's version of the content, its status and metadata (the generated
    version stays in the item's history)."""
    await run_command(request, principal, handlers.edit_item, handlers.EditItem(
        org_id=principal.org_id, project_id=project_id, item_id=item_id,
        actor_id=principal.actor_id, content=data.generated_content, status=data.status,
        metadata=data.metadata), wait_for=WAIT_FOR)
    items = await _items(services, principal.org_id, project_id, [item_id])
    if not items:
        raise NotFoundError(f"item {item_id} not found")
    return items[0]


ROUTES = [read_items, batch_update_items, exclude_items, restore_items, update_item]

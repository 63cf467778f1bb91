"""`/api/v1/projects/{id}/sync…`: write approved items' content to the project's connected
store. `…/sync` writes every approved item and answers a summary; `…/sync/stream` streams
an `item` event per item (mode `pending`: approved items; `all`: approved and synced ones
again; `selected`: `item_ids`) and a final `done`; `…/sync/{item_id}` writes one approved
item (409 when it is not approved); `…/sync/{item_id}/history` lists every attempt. A
written item becomes `synced`. A project without a store connection is 422."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.response import Stream

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.sse import sse_event, sse_response
from api.stores.store_of_project import project_store
from commands.stores.sync_run import SyncOutcome, sync_items
from domain.catalog.errors import ItemNotApprovedError
from domain.errors import NotFoundError
from projections.catalog.queries import ItemRow, get_items, item_ids_in_status
from projections.stores.queries import item_sync_history

SYNC_PATH = "/api/v1/projects/{project_id:uuid}/sync"
WAIT_FOR = ("catalog", "stores")
MODES = {"pending": ("approved",), "all": ("approved", "synced")}


class FailedItem(msgspec.Struct):
    item_id: UUID
    external_id: str
    error: str | None


class SyncSummary(msgspec.Struct):
    synced_count: int
    failed_count: int
    failed_items: list[FailedItem]


class SyncStreamIn(msgspec.Struct):
    mode: Literal["pending", "all", "selected"] = "pending"
    item_ids: Annotated[list[UUID], msgspec.Meta(max_length=10_000)] = msgspec.field(
        default_factory=list)
    """With mode `selected`: the items to write."""


class ItemSyncOut(msgspec.Struct):
    success: bool
    message: str
    synced_at: datetime | None


class AttemptOut(msgspec.Struct):
    id: UUID
    content_item_id: UUID
    store_connection_id: UUID
    store_connection_name: str | None
    synced_at: datetime
    success: bool | None
    """None while the attempt's outcome is unknown (the write may or may not have landed)."""
    error_message: str | None
    store_reply_id: str | None


class HistoryOut(msgspec.Struct):
    item_id: UUID
    item_external_id: str
    history: list[AttemptOut]


async def _items(services: AppServices, org_id: UUID, project_id: UUID,
                 statuses: tuple[str, ...] = (),
                 item_ids: list[UUID] | None = None) -> list[ItemRow]:
    async with services.pool.connection() as conn:
        ids = item_ids if item_ids is not None else await item_ids_in_status(
            conn, org_id, project_id, statuses, exclude_variants=False)
        return await get_items(conn, org_id, project_id, ids)


async def _run(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
               project_id: UUID, items: list[ItemRow] | None = None,
               statuses: tuple[str, ...] = ("approved",)) -> AsyncIterator[SyncOutcome]:
    project, client = await project_store(services, principal.org_id, project_id, retries=3)
    rows = items if items is not None else await _items(
        services, principal.org_id, project_id, statuses)

    async def execute(handler: Any, command: Any) -> Any:
        waits = WAIT_FOR if type(command).__name__.startswith("Finish") else ()
        return await run_command(request, principal, handler, command, wait_for=waits)
    return sync_items(execute, client, org_id=principal.org_id, project_id=project_id,
                      items=rows, store_view=str(project.settings.get("store_view") or "all"))


@post(SYNC_PATH, operation_id="sync_all_items", tags=["sync"], status_code=200,
      summary="Sync all approved items", dependencies=AUTHENTICATED)
async def sync_all(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                   project_id: UUID) -> SyncSummary:
    """Write every approved item; how many were written and why the others failed."""
    synced, failed = 0, []
    async for outcome in await _run(request, services, principal, project_id):
        if outcome.success:
            synced += 1
        else:
            failed.append(FailedItem(item_id=outcome.item_id, external_id=outcome.external_id,
                                     error=outcome.error))
    return SyncSummary(synced_count=synced, failed_count=len(failed), failed_items=failed)


@post(SYNC_PATH + "/stream", operation_id="sync_stream", tags=["sync"], status_code=200,
      media_type="text/event-stream", summary="Stream sync to store", dependencies=AUTHENTICATED)
async def sync_stream(request: Request[Any, Any, Any], services: AppServices,
                      principal: Caller, project_id: UUID, data: SyncStreamIn) -> Stream:
    """`event: item` per item written or refused, then `event: done` with the counts."""
    selected = None
    if data.mode == "selected":
        selected = await _items(services, principal.org_id, project_id,
                                item_ids=list(dict.fromkeys(data.item_ids)))
    outcomes = await _run(request, services, principal, project_id, selected,
                          MODES.get(data.mode, ("approved",)))

    async def events() -> AsyncIterator[bytes]:
        synced = failed = 0
        async for o in outcomes:
            synced, failed = synced + o.success, failed + (not o.success)
            yield sse_event("item", {"item_id": str(o.item_id), "external_id": o.external_id,
                                     "success": o.success, "error": o.error,
                                     "store_reply_id": o.store_reply_id})
        yield sse_event("done", {"synced_count": synced, "failed_count": failed})
    return sse_response(events())


@post(SYNC_PATH + "/{item_id:uuid}", operation_id="sync_item", tags=["sync"], status_code=200,
      summary="Sync single item", dependencies=AUTHENTICATED)
async def sync_one(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                   project_id: UUID, item_id: UUID) -> ItemSyncOut:
    """Write one approved item (409 when it is not approved); `success` and why not."""
    rows = await _items(services, principal.org_id, project_id, item_ids=[item_id])
    if not rows:
        raise NotFoundError(f"item {item_id} not found")
    if rows[0].status not in ("approved", "synced"):
        raise ItemNotApprovedError(f"item {item_id} is {rows[0].status}: only approved items sync")
    async for outcome in await _run(request, services, principal, project_id, rows):
        return ItemSyncOut(success=outcome.success, synced_at=outcome.synced_at,
                           message="synced" if outcome.success else outcome.error or "failed")
    raise NotFoundError(f"item {item_id} not found")


@get(SYNC_PATH + "/{item_id:uuid}/history", operation_id="get_item_sync_history",
     tags=["sync"], summary="Get item sync history", dependencies=AUTHENTICATED)
async def history(services: AppServices, principal: Caller, project_id: UUID,
                  item_id: UUID) -> HistoryOut:
    """Every attempt to write the item, oldest first."""
    rows = await _items(services, principal.org_id, project_id, item_ids=[item_id])
    if not rows:
        raise NotFoundError(f"item {item_id} not found")
    async with services.pool.connection() as conn:
        attempts = await item_sync_history(conn, principal.org_id, project_id, item_id)
    return HistoryOut(item_id=item_id, item_external_id=rows[0].external_id, history=[
        AttemptOut(id=a.id, content_item_id=a.item_id, store_connection_id=a.connection_id,
                   store_connection_name=a.connection_name, synced_at=a.started_at,
                   success=a.success, error_message=a.error_message,
                   store_reply_id=a.store_reply_id) for a in attempts])


ROUTES = [sync_all, sync_stream, sync_one, history]

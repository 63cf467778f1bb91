"""`/api/v1/projects/{id}/sources/{source_id}/items`: a manual source's products one at a
time — add one, edit its fields, remove it. Each is a content item (the specification's
item shape); a file source's products are refused with 422."""

from typing import Any
from uuid import UUID

from litestar import Request, delete, patch, post

from api.auth import AUTHENTICATED, Caller
from api.catalog.item_schemas import ItemOut
from api.catalog.manual_products import manual_record, product_changes
from api.catalog.projects import PROJECT_PATH
from api.commanding import run_command
from api.dependencies import AppServices
from api.services import Services
from commands.catalog import manual_products as handlers
from domain.errors import NotFoundError
from projections.catalog.queries import get_items

WAIT_FOR = ("catalog",)
SOURCE_ITEMS_PATH = PROJECT_PATH + "/sources/{source_id:uuid}/items"


async def _item(services: Services, org_id: UUID, project_id: UUID, item_id: UUID) -> ItemOut:
    async with services.pool.connection() as conn:
        rows = await get_items(conn, org_id, project_id, [item_id])
    if not rows:
        raise NotFoundError(f"item {item_id} not found")
    return ItemOut.of(rows[0])


@post(SOURCE_ITEMS_PATH, operation_id="add_manual_source_item", tags=["sources"],
      status_code=200, summary="Add a product to a manual source", dependencies=AUTHENTICATED)
async def add_source_item(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    project_id: UUID, source_id: UUID,
    data: dict[str, Any],
) -> ItemOut:
    """One product, as an element of the manual source form's `items`: `external_id` (else
    its `sku`), `name`, `item_type`, `parent_external_id`, canonical fields (`description`,
    `price`, …) and any others (kept as platform fields). 409 when its id is taken."""
    outcome = await run_command(request, principal, handlers.add_product, handlers.AddProduct(
        org_id=principal.org_id, project_id=project_id, source_id=source_id,
        record=manual_record(data)), wait_for=WAIT_FOR)
    return await _item(services, principal.org_id, project_id, outcome.result.id)


@patch(SOURCE_ITEMS_PATH + "/{item_id:uuid}", operation_id="update_manual_source_item",
       tags=["sources"], summary="Edit a product of a manual source",
       dependencies=AUTHENTICATED)
async def edit_source_item(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    project_id: UUID, source_id: UUID,
    item_id: UUID, data: dict[str, Any],
) -> ItemOut:
    """The product's fields to change (null removes one; the others stay); its id, type and
    parent cannot change."""
    fields, platform_fields = product_changes(data)
    await run_command(request, principal, handlers.edit_product, handlers.EditProduct(
        org_id=principal.org_id, project_id=project_id, source_id=source_id, item_id=item_id,
        fields=fields, platform_fields=platform_fields, actor_id=principal.actor_id),
        wait_for=WAIT_FOR)
    return await _item(services, principal.org_id, project_id, item_id)


@delete(SOURCE_ITEMS_PATH + "/{item_id:uuid}", operation_id="delete_manual_source_item",
        tags=["sources"], summary="Remove a product from a manual source",
        dependencies=AUTHENTICATED)
async def remove_source_item(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    project_id: UUID, source_id: UUID,
    item_id: UUID,
) -> None:
    """The product and its item are gone (a parent only once its variants are); 204."""
    await run_command(request, principal, handlers.remove_product, handlers.RemoveProduct(
        org_id=principal.org_id, project_id=project_id, source_id=source_id, item_id=item_id,
        actor_id=principal.actor_id), wait_for=WAIT_FOR)


ROUTES = [add_source_item, edit_source_item, remove_source_item]

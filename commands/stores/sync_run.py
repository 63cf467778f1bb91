"""A sync run: approved items' content to the project's store, item by item (WooCommerce in
batches of up to 100). Each attempt is recorded before the store is written and its outcome
after; an item refused before the write (not approved, excluded) gets an outcome without an
attempt. A success makes the item `synced`, so a redelivered or repeated run does not write
it again unless asked to (mode `all` or `selected`)."""

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from adapters.stores.reading import Client
from adapters.stores.woocommerce import WooCommerceClient
from adapters.stores.writing import WOO_BATCH, ProductUpdate, Written, write_products
from commands.stores.sync import FinishItemSync, StartItemSync, finish_item_sync, start_item_sync
from domain.errors import DomainError
from projections.catalog.queries import ItemRow

Execute = Callable[[Callable[[Any, Any], Any], Any], Awaitable[Any]]
"""Runs a command handler (`run_command` in a route, the bus in a worker)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class SyncOutcome:
    item_id: UUID
    external_id: str
    success: bool
    error: str | None
    store_reply_id: str | None
    synced_at: datetime | None


def _update(item: ItemRow) -> ProductUpdate:
    fields = (item.source_data.get("platform_fields") or {})
    return ProductUpdate(key=str(item.id), store_id=str(fields.get("store_id") or ""),
                         parent_store_id=str(fields.get("store_parent_id") or ""),
                         sku=str(item.source_data.get("sku") or item.sku or item.external_id),
                         content=dict(item.generated_content))


async def sync_items(execute: Execute, client: Client, *, org_id: UUID, project_id: UUID,
                     items: Sequence[ItemRow], store_view: str = "all",
                     ) -> AsyncIterator[SyncOutcome]:
    size = WOO_BATCH if isinstance(client, WooCommerceClient) else 1
    for start in range(0, len(items), size):
        chunk = items[start:start + size]
        attempts: dict[UUID, UUID] = {}
        for item in chunk:
            attempt = uuid4()
            try:
                await execute(start_item_sync, StartItemSync(
                    org_id=org_id, project_id=project_id, item_id=item.id, attempt_id=attempt))
            except DomainError as error:
                yield SyncOutcome(item_id=item.id, external_id=item.external_id, success=False,
                                  error=str(error), store_reply_id=None, synced_at=None)
                continue
            attempts[item.id] = attempt
        ready = [i for i in chunk if i.id in attempts]
        updates = [_update(i) for i in ready]
        writable = [u for u in updates if u.store_id]
        written = await write_products(client, writable, store_view) if writable else {}
        for item in ready:
            result = written.get(str(item.id)) or Written(
                False, "the item was not imported from the store: it has no store id")
            await execute(finish_item_sync, FinishItemSync(
                org_id=org_id, project_id=project_id, item_id=item.id,
                attempt_id=attempts[item.id], success=result.success, error=result.error,
                store_reply_id=result.reply_id))
            yield SyncOutcome(item_id=item.id, external_id=item.external_id,
                              success=result.success, error=result.error,
                              store_reply_id=result.reply_id,
                              synced_at=datetime.now(UTC) if result.success else None)

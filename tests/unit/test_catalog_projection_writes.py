"""The catalog projection turns imported products into one INSERT of arrays (its item-count
trigger then runs once, not once per item), in import order."""

import asyncio
from uuid import UUID, uuid4

from domain.catalog.events import (
    ImportedProduct,
    ItemApproved,
    ItemImported,
    ProductBatchImported,
    ProductsImported,
)
from domain.catalog.ids import import_batch_id, item_id
from domain.events import DomainEvent
from domain.log import EventMeta, RecordedEvent
from projections.catalog.projection import CatalogBoard
from projections.writes import Writes
from tests.unit.test_projection_writes import RecordingCursor

ORG, PROJECT, SOURCE = uuid4(), uuid4(), uuid4()


def recorded(position: int, aggregate_id: UUID, event: DomainEvent) -> RecordedEvent:
    return RecordedEvent(position=position, aggregate_id=aggregate_id, aggregate_version=1,
                         topic=event.topic(), event=event, meta=EventMeta())


def imported(external_id: str, parent: str | None = None) -> ItemImported:
    return ItemImported(org_id=ORG, project_id=PROJECT, source_id=SOURCE,
                        external_id=external_id, item_type="variant" if parent else "simple",
                        parent_external_id=parent, name=external_id,
                        source_data={"sku": external_id})


def product(external_id: str, parent: str | None = None) -> ImportedProduct:
    return ImportedProduct(item_id=item_id(SOURCE, external_id), external_id=external_id,
                           item_type="variant" if parent else "simple",
                           parent_external_id=parent, name=external_id,
                           source_data={"sku": external_id})


def test_a_batch_of_imported_items_is_one_insert_in_log_order() -> None:
    board, writes = CatalogBoard(), Writes()
    events = [recorded(1, SOURCE, ProductsImported(org_id=ORG, project_id=PROJECT,
                                                   external_ids=("A", "B", "C"), parents={})),
              recorded(2, import_batch_id(SOURCE, "A"), ProductBatchImported(
                  org_id=ORG, project_id=PROJECT, source_id=SOURCE,
                  products=(product("A"), product("B"), product("C", parent="A")))),
              # an item imported on its own, as stores written before batches hold them
              recorded(3, item_id(SOURCE, "D"), imported("D")),
              recorded(5, item_id(SOURCE, "A"),
                       ItemApproved(org_id=ORG, project_id=PROJECT, by=None))]
    for record in events:
        if board.handles(record.topic):
            board.apply(writes, record)
    cursor = RecordingCursor()
    asyncio.run(writes.flush(cursor))  # type: ignore[arg-type]
    assert [(kind, len(params)) for kind, _, params in cursor.calls] == [
        ("execute", 1), ("execute", 1)]
    sql, columns = cursor.calls[0][1], list(cursor.calls[0][2][0])
    assert sql.startswith("INSERT INTO items") and "unnest(" in sql and len(columns) == 14
    inserted = list(zip(*columns, strict=True))
    assert [row[0] for row in inserted] == [item_id(SOURCE, e) for e in "ABCD"]
    assert [row[4] for row in inserted] == [20_000, 20_001, 20_002, 30_000]  # import order
    assert inserted[2][8] == item_id(SOURCE, "A")  # a variant's parent item
    assert "UPDATE items SET status" in cursor.calls[1][1]

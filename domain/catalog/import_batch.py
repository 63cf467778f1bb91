"""Products imported together: one event for many products instead of one stream per item.

A store export holds up to hundreds of thousands of products, and until someone generates
copy for one, reviews or excludes it, it is only what the file said. So an import writes its
products as `ProductBatchImported` events of write-once `ImportBatch` streams, and notes for
each item, in the write-side index `imported-items`, what a command needs to load it
(`ItemBirth`). An item's own stream begins with its first change (`ContentItem.adopt`).

A batch is cut by size, so that an event stays well below what the message stream carries
in one message (1 MB by default) whatever the products' text.
"""

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.catalog.events import ImportedProduct, ProductBatchImported
from domain.catalog.ids import item_id
from domain.catalog.records import ProductRecord
from domain.errors import AlreadyExistsError
from domain.events import DomainEvent

IMPORTED_ITEMS = "imported-items"
"""The write-side index of items known only from their import batch, by item id."""
MAX_BATCH_CHARACTERS = 120_000
"""Characters of product text per batch event: at most 4 bytes each in UTF-8 (a few more
for the rare escaped control character), with the field names well under 1 MB."""
MAX_PRODUCT_CHARACTERS = 100_000
"""Characters of text one product may carry (name, fields, attributes together)."""


def text_size(value: Any) -> int:
    """About how many characters `value` takes written out (its repr, within a few percent
    of its JSON): one call into C however nested, as every imported product is measured."""
    return len(value) if isinstance(value, str) else len(repr(value))


def product_size(record: ProductRecord) -> int:
    return len(record.name) + len(record.external_id) + text_size(record.source_data)


def cut_into_batches(records: Iterable[tuple[ProductRecord, int]]) -> list[list[ProductRecord]]:
    """Records with their sizes, in order, cut into batches of at most MAX_BATCH_CHARACTERS
    (a batch holds at least one record)."""
    batches: list[list[ProductRecord]] = []
    used = MAX_BATCH_CHARACTERS
    for record, size in records:
        if used + size > MAX_BATCH_CHARACTERS:
            batches.append([])
            used = 0
        batches[-1].append(record)
        used += size
    return batches


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemBirth:
    """What a command needs of an item imported in a batch whose own stream has not begun:
    an entry of the `imported-items` index (by `item_id`)."""

    item_id: UUID
    org_id: UUID
    project_id: UUID
    source_id: UUID
    external_id: str
    item_type: str
    parent_external_id: str | None

    @classmethod
    def from_entry(cls, key: UUID, entry: Mapping[str, Any]) -> "ItemBirth":
        return cls(item_id=key, org_id=UUID(str(entry["org_id"])),
                   project_id=UUID(str(entry["project_id"])),
                   source_id=UUID(str(entry["source_id"])), external_id=str(entry["external_id"]),
                   item_type=str(entry["item_type"]),
                   parent_external_id=entry.get("parent_external_id"))


class ImportBatch(Aggregate):
    """Written once, by the import that made it; nothing loads it but replay."""

    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.products: tuple[ImportedProduct, ...] = ()

    def import_products(self, *, org_id: UUID, project_id: UUID, source_id: UUID,
                        records: Sequence[ProductRecord]) -> dict[UUID, dict[str, Any]]:
        """Record the products (checked by their source, see `DataSource.accept_products`);
        the `imported-items` index entries of their items (see `ItemBirth.from_entry`)."""
        if self.exists:
            raise AlreadyExistsError("import batch already written")
        self._record(ProductBatchImported(
            org_id=org_id, project_id=project_id, source_id=source_id,
            products=tuple(ImportedProduct(
                item_id=item_id(source_id, r.external_id), external_id=r.external_id,
                item_type=r.item_type, parent_external_id=r.parent_external_id, name=r.name,
                source_data=dict(r.source_data)) for r in records),
        ))
        common = {"org_id": str(org_id), "project_id": str(project_id),
                  "source_id": str(source_id)}
        return {p.item_id: {**common, "external_id": p.external_id, "item_type": p.item_type,
                            "parent_external_id": p.parent_external_id}
                for p in self.products}

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case ProductBatchImported(products=products):
                self.products = products
            case _:
                pass

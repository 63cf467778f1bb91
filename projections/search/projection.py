"""ProductIndex — why: semantic and keyword search over an organization's products; how:
`rm_search.products` (one row per catalog item or external feed's product: the text to
embed, a tsvector, an HNSW-indexed embedding, a pending flag) and `rm_search.projects`
(language, trash); when: async (projector). The projection writes text only; embeddings
are derived data the embedding worker adds outside any projection transaction
(`workers/embeddings.py`). Excluded items and items of trashed projects keep their row but
are never found. The page index
(`rm_search.pages`) is written by `projections.search.pages`, the feeds' products by
`projections.search.feed_products`. Queries: `projections.search.queries`."""

from typing import Any
from uuid import UUID

from domain.catalog import events as e
from domain.catalog.item_status import status_after
from domain.log import RecordedEvent
from domain.search import texts
from projections.base import Projection
from projections.search.feed_products import TOPICS as FEED_TOPICS
from projections.search.feed_products import apply_feed_products
from projections.search.pages import DERIVED as PAGE_DERIVED
from projections.search.pages import TOPICS as PAGE_TOPICS
from projections.search.pages import apply_page
from projections.writes import MultiRow, Writes

SCHEMA = "rm_search"
DERIVED = frozenset({("products", "embedding"), ("products", "embedded_with"),
                     ("products", "pending"), ("products", "claimed_at")}) | PAGE_DERIVED

_PROJECT = (
    "INSERT INTO projects (id, org_id, language) VALUES (%s, %s, %s)"
    " ON CONFLICT (id) DO UPDATE SET language = EXCLUDED.language"
)
_PROJECT_LANGUAGE = "UPDATE products SET language = %s WHERE project_id = %s"
_TRASHED = "UPDATE projects SET trashed = %s WHERE id = %s"
_PRODUCTS_TRASHED = "UPDATE products SET trashed = %s WHERE project_id = %s"
_PRODUCT = MultiRow(
    "INSERT INTO products (item_id, org_id, project_id, source_id, sku, name, description,"
    " price, category, image_url)",
    ("uuid", "uuid", "uuid", "uuid", "text", "text", "text", "numeric", "text", "text"),
    "ON CONFLICT (item_id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name,"
    " description = EXCLUDED.description, price = EXCLUDED.price,"
    " category = EXCLUDED.category, image_url = EXCLUDED.image_url",
)
_GENERATED = "UPDATE products SET generated = %s, status = coalesce(%s, status) WHERE item_id = %s"
_STATUS = "UPDATE products SET status = %s WHERE item_id = %s"
_EXCLUDED = "UPDATE products SET excluded = %s WHERE item_id = %s"


class ProductIndex(Projection):
    name = "search"
    schema = SCHEMA
    derived = DERIVED
    topics = frozenset(cls.topic() for cls in (
        e.ProjectCreated, e.ProjectUpdated, e.ProjectTrashed, e.ProjectRestored,
        e.ProjectTruncated, e.ProjectPurged, e.SourceDeleted, e.ProductBatchImported,
        e.ItemImported, e.ProductEdited, e.ProductRemoved, e.ContentGenerated, e.ContentEdited,
        e.ItemApproved, e.ItemRejected, e.ItemFlagged, e.ItemQueuedForRegeneration,
        e.ItemSynced, e.ItemExcluded, e.ItemRestored,
    )) | PAGE_TOPICS | FEED_TOPICS

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, aid = record.event, record.aggregate_id
        if record.event.topic() in PAGE_TOPICS:
            apply_page(writes, record)
            return
        if record.event.topic() in FEED_TOPICS:
            apply_feed_products(writes, record)
            return
        match event:
            case e.ProjectCreated() | e.ProjectUpdated():
                language = _language(event.settings)
                writes.add(_PROJECT, (aid, event.org_id, language))
                if isinstance(event, e.ProjectUpdated):
                    writes.add(_PROJECT_LANGUAGE, (language, aid))
            case e.ProjectTrashed() | e.ProjectRestored():
                trashed = isinstance(event, e.ProjectTrashed)
                writes.add(_TRASHED, (trashed, aid))
                writes.add(_PRODUCTS_TRASHED, (trashed, aid))
            case e.ProjectTruncated():
                writes.add("DELETE FROM products WHERE source_id = ANY(%s)",
                           (list(event.source_ids),))
            case e.ProjectPurged():
                writes.add("DELETE FROM products WHERE project_id = %s", (aid,))
                writes.add("DELETE FROM projects WHERE id = %s", (aid,))
            case e.SourceDeleted():
                writes.add("DELETE FROM products WHERE source_id = %s", (aid,))
            case e.ProductBatchImported():
                for product in event.products:
                    writes.add(_PRODUCT, _product_row(product.item_id, event, product))
            case e.ItemImported():
                writes.add(_PRODUCT, _product_row(aid, event, event))
            case e.ProductEdited():
                _edit(writes, event.fields, aid)
            case e.ProductRemoved():
                writes.add("DELETE FROM products WHERE item_id = %s", (aid,))
            case e.ContentGenerated() | e.ContentEdited():
                status = status_after(event)
                writes.add(_GENERATED, (texts.generated_copy(event.content),
                                        None if status is None else str(status), aid))
            case e.ItemExcluded() | e.ItemRestored():
                writes.add(_EXCLUDED, (isinstance(event, e.ItemExcluded), aid))
            case _:
                status = status_after(event)
                if status is not None:
                    writes.add(_STATUS, (str(status), aid))


def _language(settings: dict[str, Any]) -> str | None:
    language = settings.get("language")
    return language.lower()[:2] if isinstance(language, str) and language.strip() else None


def _product_row(aid: UUID, event: e.ProductBatchImported | e.ItemImported,
                 product: e.ImportedProduct | e.ItemImported) -> tuple[Any, ...]:
    data = product.source_data
    sku = data.get("sku")
    return (aid, event.org_id, event.project_id, event.source_id,
            sku if isinstance(sku, str) else None, product.name,
            texts.source_description(data), texts.price_of(data), texts.first_category(data),
            texts.first_image(data))


def _edit(writes: Writes, fields: dict[str, Any], aid: UUID) -> None:
    """The fields an edit names (a field given as None is removed)."""
    changes: list[tuple[str, Any]] = []
    if isinstance(fields.get("name"), str):
        changes.append(("name = %s", fields["name"]))
    if "sku" in fields:
        changes.append(("sku = %s", fields["sku"] if isinstance(fields["sku"], str) else None))
    if "description" in fields:
        changes.append(("description = %s", texts.plain(fields["description"])))
    elif texts.plain(fields.get("short_description")):
        changes.append(("description = coalesce(nullif(description, ''), %s)",
                        texts.plain(fields["short_description"])))
    if "price" in fields:
        changes.append(("price = %s", texts.price_of(fields)))
    if "categories" in fields:
        changes.append(("category = %s", texts.first_category(fields)))
    if "images" in fields:
        changes.append(("image_url = %s", texts.first_image(fields)))
    if changes:
        assignments = ", ".join(sql for sql, _ in changes)
        writes.add(f"UPDATE products SET {assignments} WHERE item_id = %s",
                   (*(value for _, value in changes), aid))

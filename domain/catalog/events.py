"""What happens to projects, their data sources, content items and custom tones."""

import dataclasses
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.events import DomainEvent


class CatalogEvent(DomainEvent):
    """The base of every catalog event: its topic in the log is `catalog.<ClassName>`."""

    context = "catalog"

# --- project ----------------------------------------------------------------------------


class ProjectCreated(CatalogEvent):
    name: str
    platform: str
    settings: dict[str, Any]


class ProjectUpdated(CatalogEvent):
    """The full new details."""

    name: str
    settings: dict[str, Any]
    store_connection_id: UUID | None


class ProjectSourceAdded(CatalogEvent):
    source_id: UUID


class ProjectSourceRemoved(CatalogEvent):
    """The source was deleted (its own `SourceDeleted` says so to the read models)."""

    source_id: UUID


class ProjectTrashed(CatalogEvent):
    """Moved to the trash; it can still be restored."""


class ProjectRestored(CatalogEvent):
    """Taken back out of the trash."""


class ProjectTruncated(CatalogEvent):
    """Its sources (deleted each with `SourceDeleted`) and their items are gone."""

    source_ids: tuple[UUID, ...]


class ProjectPurged(CatalogEvent):
    """Deleted for good, with every source and item of it."""


# --- data source ------------------------------------------------------------------------


class SourceRegistered(CatalogEvent):
    """`file_key`: where the original file is kept (a file-store key), empty for none."""

    project_id: UUID
    name: str
    kind: str
    platform: str
    filename: str
    file_key: str
    column_mapping: dict[str, str]
    status: str


class ProductsImported(CatalogEvent):
    """Which products the source imported (their data is in `ProductBatchImported`);
    `parents` maps a variant's external id to its parent's."""

    project_id: UUID
    external_ids: tuple[str, ...]
    parents: dict[str, str]


class SourceImportCompleted(CatalogEvent):
    project_id: UUID


class SourceImportFailed(CatalogEvent):
    project_id: UUID
    error_message: str


class SourceDeleted(CatalogEvent):
    """The source is gone, and every item imported from it."""

    project_id: UUID


class SourceProductRemoved(CatalogEvent):
    """A manual source's product was removed (its item's `ProductRemoved` says so to the read
    models); its id may be added again."""

    project_id: UUID
    external_id: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImportedProduct:
    """A product as its source gave it (see `records.ProductRecord`), and its item's id."""

    item_id: UUID
    external_id: str
    item_type: str
    parent_external_id: str | None
    name: str
    source_data: dict[str, Any]


class ProductBatchImported(CatalogEvent):
    """Products of a source imported together (an `ImportBatch`). Each is a content item
    whose own stream begins with its first change."""

    project_id: UUID
    source_id: UUID
    products: tuple[ImportedProduct, ...]


# --- content item -----------------------------------------------------------------------


class ItemImported(CatalogEvent):
    """A product imported as an item of its own: one added to a manual source by itself
    (and, in stores written before products were imported in batches, every product)."""

    project_id: UUID
    source_id: UUID
    external_id: str
    item_type: str
    parent_external_id: str | None
    name: str
    source_data: dict[str, Any]


class ProductEdited(CatalogEvent):
    """Fields of a manual source's product changed: `fields` holds canonical fields (see
    `records.CANONICAL_FIELDS`), `platform_fields` the others; a None value removes one."""

    project_id: UUID
    fields: dict[str, Any]
    platform_fields: dict[str, Any]
    by: UUID | None


class ProductRemoved(CatalogEvent):
    """The item's product was removed from its manual source: the item is gone."""

    project_id: UUID
    by: UUID | None


class ContentGenerated(CatalogEvent):
    """A generation job's result: `status` is generated, or flagged when the confidence
    score fell below the job's threshold (`flag_reasons` say why)."""

    project_id: UUID
    job_id: UUID
    content: dict[str, str]
    status: str
    confidence_score: float
    flag_reasons: tuple[str, ...]
    provider: str
    model: str
    tier: str
    input_tokens: int
    output_tokens: int
    xct_cost: Decimal
    cached: bool
    prompt_key: str


class GenerationFailed(CatalogEvent):
    project_id: UUID
    job_id: UUID
    reason: str


class ItemApproved(CatalogEvent):
    project_id: UUID
    by: UUID | None


class ItemRejected(CatalogEvent):
    project_id: UUID
    by: UUID | None


class ItemFlagged(CatalogEvent):
    project_id: UUID
    by: UUID | None


class ItemQueuedForRegeneration(CatalogEvent):
    """Back to pending, so that the next generation run writes it again."""

    project_id: UUID
    by: UUID | None


class ItemSynced(CatalogEvent):
    """Its approved content was published to the store."""

    project_id: UUID


class ContentEdited(CatalogEvent):
    """A reviewer's version of the content (the whole of it); the generated one stays in
    the item's history."""

    project_id: UUID
    content: dict[str, str]
    edited_by: UUID | None


class ItemMetadataChanged(CatalogEvent):
    """The reviewer's metadata of the item (the whole of it)."""

    project_id: UUID
    metadata: dict[str, Any]
    by: UUID | None


class ItemExcluded(CatalogEvent):
    """Left out of generation, export and sync; `cascaded_from` is the parent it followed."""

    project_id: UUID
    by: UUID | None
    cascaded_from: UUID | None = None


class ItemRestored(CatalogEvent):
    project_id: UUID
    by: UUID | None
    cascaded_from: UUID | None = None


# --- custom tone ------------------------------------------------------------------------


class ToneCreated(CatalogEvent):
    """`key`: the tone's id as the organization chose it ("warm-expert")."""

    key: str
    name: str
    description: str
    system_prompt: str


class ToneDeleted(CatalogEvent):
    key: str

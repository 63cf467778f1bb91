"""What happens to projects, their data sources, content items and custom tones."""

import dataclasses
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.events import DomainEvent

# --- project ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectCreated(DomainEvent):
    context = "catalog"
    name: str
    platform: str
    settings: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectUpdated(DomainEvent):
    """The full new details."""

    context = "catalog"
    name: str
    settings: dict[str, Any]
    store_connection_id: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectSourceAdded(DomainEvent):
    context = "catalog"
    source_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectSourceRemoved(DomainEvent):
    """The source was deleted (its own `SourceDeleted` says so to the read models)."""

    context = "catalog"
    source_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectTrashed(DomainEvent):
    context = "catalog"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectRestored(DomainEvent):
    context = "catalog"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectTruncated(DomainEvent):
    """Its sources (deleted each with `SourceDeleted`) and their items are gone."""

    context = "catalog"
    source_ids: tuple[UUID, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectPurged(DomainEvent):
    """Deleted for good, with every source and item of it."""

    context = "catalog"


# --- data source ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceRegistered(DomainEvent):
    """`file_key`: where the original file is kept (a file-store key), empty for none."""

    context = "catalog"
    project_id: UUID
    name: str
    kind: str
    platform: str
    filename: str
    file_key: str
    column_mapping: dict[str, str]
    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductsImported(DomainEvent):
    """Which products the source imported (their data is in `ProductBatchImported`);
    `parents` maps a variant's external id to its parent's."""

    context = "catalog"
    project_id: UUID
    external_ids: tuple[str, ...]
    parents: dict[str, str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceImportCompleted(DomainEvent):
    context = "catalog"
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceImportFailed(DomainEvent):
    context = "catalog"
    project_id: UUID
    error_message: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceDeleted(DomainEvent):
    """The source is gone, and every item imported from it."""

    context = "catalog"
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceProductRemoved(DomainEvent):
    """A manual source's product was removed (its item's `ProductRemoved` says so to the read
    models); its id may be added again."""

    context = "catalog"
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductBatchImported(DomainEvent):
    """Products of a source imported together (an `ImportBatch`). Each is a content item
    whose own stream begins with its first change."""

    context = "catalog"
    project_id: UUID
    source_id: UUID
    products: tuple[ImportedProduct, ...]


# --- content item -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemImported(DomainEvent):
    """A product imported as an item of its own: one added to a manual source by itself
    (and, in stores written before products were imported in batches, every product)."""

    context = "catalog"
    project_id: UUID
    source_id: UUID
    external_id: str
    item_type: str
    parent_external_id: str | None
    name: str
    source_data: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductEdited(DomainEvent):
    """Fields of a manual source's product changed: `fields` holds canonical fields (see
    `records.CANONICAL_FIELDS`), `platform_fields` the others; a None value removes one."""

    context = "catalog"
    project_id: UUID
    fields: dict[str, Any]
    platform_fields: dict[str, Any]
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductRemoved(DomainEvent):
    """The item's product was removed from its manual source: the item is gone."""

    context = "catalog"
    project_id: UUID
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ContentGenerated(DomainEvent):
    """A generation job's result: `status` is generated, or flagged when the confidence
    score fell below the job's threshold (`flag_reasons` say why)."""

    context = "catalog"
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class GenerationFailed(DomainEvent):
    context = "catalog"
    project_id: UUID
    job_id: UUID
    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemApproved(DomainEvent):
    context = "catalog"
    project_id: UUID
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemRejected(DomainEvent):
    context = "catalog"
    project_id: UUID
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemFlagged(DomainEvent):
    context = "catalog"
    project_id: UUID
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemQueuedForRegeneration(DomainEvent):
    """Back to pending, so that the next generation run writes it again."""

    context = "catalog"
    project_id: UUID
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemSynced(DomainEvent):
    """Its approved content was published to the store."""

    context = "catalog"
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class ContentEdited(DomainEvent):
    """A reviewer's version of the content (the whole of it); the generated one stays in
    the item's history."""

    context = "catalog"
    project_id: UUID
    content: dict[str, str]
    edited_by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemMetadataChanged(DomainEvent):
    """The reviewer's metadata of the item (the whole of it)."""

    context = "catalog"
    project_id: UUID
    metadata: dict[str, Any]
    by: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemExcluded(DomainEvent):
    """Left out of generation, export and sync; `cascaded_from` is the parent it followed."""

    context = "catalog"
    project_id: UUID
    by: UUID | None
    cascaded_from: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemRestored(DomainEvent):
    context = "catalog"
    project_id: UUID
    by: UUID | None
    cascaded_from: UUID | None = None


# --- custom tone ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ToneCreated(DomainEvent):
    """`key`: the tone's id as the organization chose it ("warm-expert")."""

    context = "catalog"
    key: str
    name: str
    description: str
    system_prompt: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ToneDeleted(DomainEvent):
    context = "catalog"
    key: str

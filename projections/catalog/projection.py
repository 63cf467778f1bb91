"""CatalogBoard — why: projects with their status counts, their sources, the items to review
(filtered by status, source, text) and the organization's custom tones; how:
`rm_catalog.projects`, `sources`, `items`, `item_counts` (kept by a trigger on `items`) and
`tones`; when: async (projector). Its queries are in `projections.catalog.queries`."""

import functools
from typing import Any
from uuid import UUID

import msgspec

from domain.catalog import events as e
from domain.catalog.ids import item_id
from domain.catalog.item_status import status_after
from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import MultiRow, Writes

SCHEMA = "rm_catalog"

_PROJECT = (
    "INSERT INTO projects (id, org_id, name, platform, settings, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (id) DO NOTHING"
)
_PROJECT_UPDATE = (
    "UPDATE projects SET name = %s, settings = %s::jsonb, store_connection_id = %s,"
    " updated_at = %s WHERE id = %s"
)
_PROJECT_TRASH = "UPDATE projects SET deleted_at = %s, updated_at = %s WHERE id = %s"
_PROJECT_DRAFT = (
    "UPDATE projects SET status = 'draft', completed_at = NULL, updated_at = %s WHERE id = %s")
_SOURCE = (
    "INSERT INTO sources (id, org_id, project_id, kind, name, platform, filename, file_key,"
    " column_mapping, status, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb,"
    " %s, %s) ON CONFLICT (id) DO NOTHING"
)
_SOURCE_STATUS = (
    "UPDATE sources SET status = %s, error_message = %s, last_synced_at = %s WHERE id = %s")
_ITEM = MultiRow(
    "INSERT INTO items (id, org_id, project_id, source_id, seq, external_id, item_type,"
    " parent_external_id, parent_id, name, sku, source_data, created_at, updated_at)",
    ("uuid", "uuid", "uuid", "uuid", "bigint", "text", "text", "text", "uuid", "text", "text",
     "json", "timestamptz", "timestamptz"),
    "ON CONFLICT (id) DO NOTHING",
)
_GENERATED = (
    "UPDATE items SET generated_content = %s::jsonb, status = %s, confidence_score = %s,"
    " ai_model_used = %s, system_meta = (system_meta - 'last_error') || %s::jsonb,"
    " updated_at = %s WHERE id = %s"
)
_STATUS = (
    "UPDATE items SET status = %s, system_meta = system_meta || %s::jsonb, updated_at = %s"
    " WHERE id = %s"
)
_META = "UPDATE items SET system_meta = system_meta || %s::jsonb, updated_at = %s WHERE id = %s"
_EDITED = (
    "UPDATE items SET generated_content = %s::jsonb, system_meta = system_meta || %s::jsonb,"
    " updated_at = %s WHERE id = %s"
)
_USER_META = "UPDATE items SET user_meta = %s::jsonb, updated_at = %s WHERE id = %s"
_EXCLUDED = "UPDATE items SET excluded_at = %s, updated_at = %s WHERE id = %s"
_PRODUCT_EDITED = (
    "UPDATE items SET name = coalesce(%s, name), sku = CASE WHEN %s THEN %s ELSE sku END,"
    " source_data = ((source_data::jsonb - %s::text[]) || %s::jsonb)::json, updated_at = %s"
    " WHERE id = %s"
)
_PLATFORM_FIELDS_EDITED = (
    "UPDATE items SET source_data = (CASE WHEN c.fields = '{}' THEN c.data - 'platform_fields'"
    " ELSE jsonb_set(c.data, '{platform_fields}', c.fields) END)::json FROM (SELECT id,"
    " source_data::jsonb AS data, (coalesce(source_data::jsonb -> 'platform_fields', '{}')"
    " - %s::text[]) || %s::jsonb AS fields FROM items WHERE id = %s) c WHERE items.id = c.id"
)
_TONE = (
    "INSERT INTO tones (id, org_id, key, name, description, system_prompt, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
    " description = EXCLUDED.description, system_prompt = EXCLUDED.system_prompt,"
    " created_at = EXCLUDED.created_at"
)
SEQ_PER_EVENT = 10_000
"""Items are listed in import order: `seq` = the event's position * SEQ_PER_EVENT + the
product's place in it (an import command carries at most `data_source.MAX_BATCH`)."""


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class CatalogBoard(Projection):
    name = "catalog"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.ProjectCreated, e.ProjectUpdated, e.ProjectTrashed, e.ProjectRestored,
        e.ProjectTruncated, e.ProjectPurged, e.SourceRegistered, e.SourceImportCompleted,
        e.SourceImportFailed, e.SourceDeleted, e.ProductBatchImported, e.ItemImported,
        e.ProductEdited, e.ProductRemoved, e.ContentGenerated,
        e.GenerationFailed, e.ItemApproved, e.ItemRejected, e.ItemFlagged,
        e.ItemQueuedForRegeneration, e.ItemSynced, e.ContentEdited, e.ItemMetadataChanged,
        e.ItemExcluded, e.ItemRestored, e.ToneCreated, e.ToneDeleted,
    ))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, aid, at = record.event, record.aggregate_id, record.event.occurred_at
        match event:
            case e.ProjectCreated():
                writes.add(_PROJECT, (aid, event.org_id, event.name, event.platform,
                                      _json(event.settings), at, at))
            case e.ProjectUpdated():
                writes.add(_PROJECT_UPDATE, (event.name, _json(event.settings),
                                             event.store_connection_id, at, aid))
            case e.ProjectTrashed() | e.ProjectRestored():
                trashed = isinstance(event, e.ProjectTrashed)
                writes.add(_PROJECT_TRASH, (at if trashed else None, at, aid))
            case e.ProjectTruncated():
                writes.add(_PROJECT_DRAFT, (at, aid))
            case e.ProjectPurged():
                for table in ("items", "item_counts", "sources"):
                    writes.add(f"DELETE FROM {table} WHERE project_id = %s", (aid,))
                writes.add("DELETE FROM projects WHERE id = %s", (aid,))
            case e.SourceRegistered():
                writes.add(_SOURCE, (aid, event.org_id, event.project_id, event.kind, event.name,
                                     event.platform, event.filename, event.file_key,
                                     _json(event.column_mapping), event.status, at))
            case e.SourceImportCompleted():
                writes.add(_SOURCE_STATUS, ("completed", None, at, aid))
            case e.SourceImportFailed():
                writes.add(_SOURCE_STATUS, ("failed", event.error_message, at, aid))
            case e.SourceDeleted():
                for table in ("items", "item_counts"):
                    writes.add(f"DELETE FROM {table} WHERE source_id = %s", (aid,))
                writes.add("DELETE FROM sources WHERE id = %s", (aid,))
            case e.ToneCreated():
                writes.add(_TONE, (aid, event.org_id, event.key, event.name, event.description,
                                   event.system_prompt, at))
            case e.ToneDeleted():
                writes.add("DELETE FROM tones WHERE id = %s", (aid,))
            case _:
                self._apply_to_item(writes, record)

    @staticmethod
    def _apply_to_item(writes: Writes, record: RecordedEvent) -> None:
        event, aid, at = record.event, record.aggregate_id, record.event.occurred_at
        match event:
            case e.ProductBatchImported():
                for n, product in enumerate(event.products):
                    writes.add(_ITEM, _item_row(product.item_id, event, product,
                                                record.position * SEQ_PER_EVENT + n))
            case e.ItemImported():
                writes.add(_ITEM, _item_row(aid, event, event, record.position * SEQ_PER_EVENT))
            case e.ProductEdited():
                _edit_product(writes, event, aid)
            case e.ProductRemoved():
                writes.add("DELETE FROM items WHERE id = %s", (aid,))
            case e.ContentGenerated():
                writes.add(_GENERATED, (_json(event.content), event.status,
                                        event.confidence_score, event.model,
                                        _json(_generation_meta(event)), at, aid))
            case e.GenerationFailed():
                writes.add(_META, (_json({"last_error": event.reason,
                                          "last_error_job_id": event.job_id}), at, aid))
            case e.ItemApproved() | e.ItemRejected() | e.ItemFlagged():
                writes.add(_STATUS, (status_after(event), _json(_review_meta(event.by, at)),
                                     at, aid))
            case e.ItemQueuedForRegeneration():
                writes.add(_STATUS, (status_after(event), _json({}), at, aid))
            case e.ItemSynced():
                writes.add(_STATUS, (status_after(event), _json({"synced_at": at}), at, aid))
            case e.ContentEdited():
                writes.add(_EDITED, (_json(event.content),
                                     _json({"edited_by": event.edited_by, "edited_at": at}),
                                     at, aid))
            case e.ItemMetadataChanged():
                writes.add(_USER_META, (_json(event.metadata), at, aid))
            case e.ItemExcluded() | e.ItemRestored():
                excluded = isinstance(event, e.ItemExcluded)
                writes.add(_EXCLUDED, (at if excluded else None, at, aid))


@functools.lru_cache(maxsize=4096)
def _parent_id(source_id: UUID, parent_external_id: str) -> UUID:
    """A variant's parent item (an import lists a parent's variants together)."""
    return item_id(source_id, parent_external_id)


def _item_row(aid: UUID, event: e.ProductBatchImported | e.ItemImported,
              product: e.ImportedProduct | e.ItemImported, seq: int) -> tuple[Any, ...]:
    parent = (_parent_id(event.source_id, product.parent_external_id)
              if product.parent_external_id else None)
    sku = product.source_data.get("sku")
    return (aid, event.org_id, event.project_id, event.source_id, seq, product.external_id,
            product.item_type, product.parent_external_id, parent, product.name,
            sku if isinstance(sku, str) else None, _json(product.source_data),
            event.occurred_at, event.occurred_at)


def _edit_product(writes: Writes, event: e.ProductEdited, aid: UUID) -> None:
    """Set the fields given, remove those given as None (and the platform fields alike)."""
    fields = event.fields
    name = fields.get("name")
    sku = fields.get("sku")
    writes.add(_PRODUCT_EDITED, (
        name if isinstance(name, str) else None, "sku" in fields,
        sku if isinstance(sku, str) else None, [k for k, v in fields.items() if v is None],
        _json({k: v for k, v in fields.items() if v is not None}), event.occurred_at, aid))
    if event.platform_fields:
        platform = event.platform_fields
        writes.add(_PLATFORM_FIELDS_EDITED, (
            [k for k, v in platform.items() if v is None],
            _json({k: v for k, v in platform.items() if v is not None}), aid))


def _generation_meta(event: e.ContentGenerated) -> dict[str, Any]:
    return {
        "job_id": event.job_id, "provider": event.provider, "model": event.model,
        "tier": event.tier, "input_tokens": event.input_tokens,
        "output_tokens": event.output_tokens, "xct_cost": event.xct_cost,
        "cached": event.cached, "prompt_key": event.prompt_key,
        "flag_reasons": list(event.flag_reasons), "generated_at": event.occurred_at,
    }


def _review_meta(by: UUID | None, at: Any) -> dict[str, Any]:
    return {"reviewed_by": by, "reviewed_at": at} if by else {"reviewed_at": at}

"""The page index's writes in the search projection (`rm_search.pages`): a created or
re-written page is PENDING_VECTORIZATION until the embedding worker has embedded it; a
metadata change leaves its embedding and status alone. The full-text vector is stemmed in the
metadata's `language` where it names one (the migration's trigger computes it)."""

import json

from domain.log import RecordedEvent
from domain.search import events as e
from domain.search.languages import text_search_config
from projections.writes import Writes

TSV_CHARS = 100_000
"""The part of a content the full-text vector holds (PostgreSQL caps a tsvector at 1 MB; the
migration's `index_page()` cuts it)."""
TOPICS = frozenset(cls.topic() for cls in (
    e.PageCreated, e.PageContentUpdated, e.PageMetadataUpdated, e.PageDeleted))
DERIVED = frozenset(("pages", column) for column in (
    "embedding", "embedded_with", "status", "error", "attempts", "retry_at", "claimed_at"))

_UPSERT = (
    "INSERT INTO pages (page_id, org_id, url, title, content, content_hash, metadata, tsconfig)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s::regconfig)"
    " ON CONFLICT (page_id) DO UPDATE SET url = EXCLUDED.url, title = EXCLUDED.title,"
    " content = EXCLUDED.content, content_hash = EXCLUDED.content_hash,"
    " metadata = EXCLUDED.metadata, tsconfig = EXCLUDED.tsconfig,"
    " status = 'PENDING_VECTORIZATION', error = NULL, attempts = 0, retry_at = NULL,"
    " claimed_at = NULL"
)
_METADATA = ("UPDATE pages SET title = %s, metadata = %s::jsonb, tsconfig = %s::regconfig"
             " WHERE page_id = %s")


def apply_page(writes: Writes, record: RecordedEvent) -> None:
    event = record.event
    match event:
        case e.PageCreated() | e.PageContentUpdated():
            writes.add(_UPSERT, (event.page_id, event.org_id, event.url, event.title,
                                 event.content, event.content_hash, json.dumps(event.metadata),
                                 _config(event.metadata)))
        case e.PageMetadataUpdated():
            writes.add(_METADATA, (event.title, json.dumps(event.metadata),
                                   _config(event.metadata), event.page_id))
        case e.PageDeleted():
            writes.add("DELETE FROM pages WHERE page_id = %s", (event.page_id,))
        case _:
            pass


def _config(metadata: object) -> str:
    return text_search_config(metadata.get("language") if isinstance(metadata, dict) else None)

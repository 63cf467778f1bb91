"""The HTML pages of the PageDesigns read model (`rm_pages.html_pages`, the current version
of each, and `rm_pages.html_page_versions`, every version of their HTML)."""

import json

from domain.log import RecordedEvent
from domain.pages import events as e
from projections.writes import Writes

TOPICS = frozenset(cls.topic() for cls in (e.HtmlPageCreated, e.HtmlPageChanged,
                                           e.HtmlPagePreviewImageSet, e.HtmlPageDeleted))

_PAGE = (
    "INSERT INTO html_pages (org_id, number, name, slug, description, html_content,"
    " storage_mode, features, is_published, version, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)"
    " ON CONFLICT (org_id, number) DO UPDATE SET name = EXCLUDED.name, slug = EXCLUDED.slug,"
    " description = EXCLUDED.description, html_content = EXCLUDED.html_content,"
    " storage_mode = EXCLUDED.storage_mode, features = EXCLUDED.features,"
    " is_published = EXCLUDED.is_published, version = EXCLUDED.version,"
    " updated_at = EXCLUDED.updated_at"
)
_VERSION = (
    "INSERT INTO html_page_versions (org_id, number, version, html_content, created_at)"
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def apply_html_page(writes: Writes, record: RecordedEvent) -> None:
    event = record.event
    match event:
        case e.HtmlPageCreated() | e.HtmlPageChanged():
            version = event.html_version if isinstance(event, e.HtmlPageChanged) else 1
            writes.add(_PAGE, (event.org_id, event.number, event.name, event.slug,
                               event.description, event.html_content, event.storage_mode,
                               json.dumps(event.features), event.is_published, version,
                               event.occurred_at, event.occurred_at))
            writes.add(_VERSION, (event.org_id, event.number, version, event.html_content,
                                  event.occurred_at))
        case e.HtmlPagePreviewImageSet():
            writes.add("UPDATE html_pages SET preview_image = %s, updated_at = %s"
                       " WHERE org_id = %s AND number = %s",
                       (event.file_name, event.occurred_at, event.org_id, event.number))
        case e.HtmlPageDeleted():
            writes.add("DELETE FROM html_pages WHERE org_id = %s AND number = %s",
                       (event.org_id, event.number))
            writes.add("DELETE FROM html_page_versions WHERE org_id = %s AND number = %s",
                       (event.org_id, event.number))
        case _:
            pass

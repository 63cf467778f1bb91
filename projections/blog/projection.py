"""BlogBoard — why: an organization's blog connections, blog templates and blog posts as the
API shows them; how: `rm_blog.connections`, `rm_blog.templates`, `rm_blog.blog_posts` and
`rm_blog.blog_post_versions` (see `post_writes`), keyed by the aggregate id, with the
organization beside; when: async (projector). A template made the default clears the flag
of the organization's others. Queries: `projections.blog.queries`,
`projections.blog.post_queries`."""

import json

from domain.blog import events as e
from domain.log import RecordedEvent
from projections.base import Projection
from projections.blog.post_writes import POST_EVENTS, apply_post_event
from projections.writes import Writes

SCHEMA = "rm_blog"

_CONNECTION = (
    "INSERT INTO connections (id, org_id, name, site_url, username, is_active, created_at,"
    " updated_at) VALUES (%s, %s, %s, %s, %s, true, %s, %s) ON CONFLICT (id) DO NOTHING"
)
_CONNECTION_CHANGE = (
    "UPDATE connections SET name = %s, site_url = %s, username = %s, is_active = %s,"
    " updated_at = %s WHERE id = %s"
)
_CATEGORIES = (
    "UPDATE connections SET categories = %s::jsonb, categories_cached_at = %s,"
    " updated_at = %s WHERE id = %s"
)
_TEMPLATE = (
    "INSERT INTO templates (id, org_id, name, description, tone, structure,"
    " custom_instructions, is_default, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
    " name = EXCLUDED.name, description = EXCLUDED.description, tone = EXCLUDED.tone,"
    " structure = EXCLUDED.structure, custom_instructions = EXCLUDED.custom_instructions,"
    " is_default = EXCLUDED.is_default, updated_at = EXCLUDED.updated_at"
)
_OTHERS_NOT_DEFAULT = ("UPDATE templates SET is_default = false"
                       " WHERE org_id = %s AND id <> %s AND is_default")


class BlogBoard(Projection):
    name = "blog"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.BlogConnectionCreated, e.BlogConnectionChanged, e.BlogConnectionDeleted,
        e.BlogCategoriesCached, e.BlogTemplateCreated, e.BlogTemplateChanged,
        e.BlogTemplateDeleted, *POST_EVENTS))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, key = record.event, record.aggregate_id
        match event:
            case e.BlogConnectionCreated():
                writes.add(_CONNECTION, (key, event.org_id, event.name, event.site_url,
                                         event.username, event.occurred_at, event.occurred_at))
            case e.BlogConnectionChanged():
                writes.add(_CONNECTION_CHANGE, (event.name, event.site_url, event.username,
                                                event.is_active, event.occurred_at, key))
            case e.BlogCategoriesCached():
                writes.add(_CATEGORIES, (json.dumps(list(event.categories)),
                                         event.occurred_at, event.occurred_at, key))
            case e.BlogConnectionDeleted():
                writes.add("DELETE FROM connections WHERE id = %s", (key,))
            case e.BlogTemplateCreated() | e.BlogTemplateChanged():
                if event.is_default:
                    writes.add(_OTHERS_NOT_DEFAULT, (event.org_id, key))
                writes.add(_TEMPLATE, (key, event.org_id, event.name, event.description,
                                       event.tone, json.dumps(event.structure),
                                       event.custom_instructions, event.is_default,
                                       event.occurred_at, event.occurred_at))
            case e.BlogTemplateDeleted():
                writes.add("DELETE FROM templates WHERE id = %s", (key,))
            case _:
                apply_post_event(writes, record)

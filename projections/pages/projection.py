"""PageDesigns — why: an organization's design system and its page templates as the API
shows them; how: `rm_pages.design_systems` (one row per organization that changed its
tokens) and `rm_pages.templates`, keyed by (organization, number); when: async (projector).
Queries: `projections.pages.queries`."""

import json

from domain.log import RecordedEvent
from domain.pages import events as e
from domain.pages.design_system import DEFAULTS
from projections.base import Projection
from projections.writes import Writes

SCHEMA = "rm_pages"
TOKENS = tuple(DEFAULTS)

_DESIGN = (
    f"INSERT INTO design_systems (org_id, {', '.join(TOKENS)}, updated_at)"
    f" VALUES (%s, {', '.join('%s' for _ in TOKENS)}, %s) ON CONFLICT (org_id) DO UPDATE SET "
    + ", ".join(f"{t} = EXCLUDED.{t}" for t in (*TOKENS, "updated_at"))
)
_TEMPLATE = (
    "INSERT INTO templates (org_id, number, name, description, blocks, tags, created_at,"
    " updated_at) VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s, %s) ON CONFLICT (org_id, number)"
    " DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,"
    " blocks = EXCLUDED.blocks, tags = EXCLUDED.tags, updated_at = EXCLUDED.updated_at"
)


class PageDesigns(Projection):
    name = "pages"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.DesignSystemChanged, e.TemplateSaved, e.TemplateChanged, e.TemplateDeleted))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event = record.event
        match event:
            case e.DesignSystemChanged():
                writes.add(_DESIGN, (event.org_id, *(getattr(event, t) for t in TOKENS),
                                     event.occurred_at))
            case e.TemplateSaved() | e.TemplateChanged():
                writes.add(_TEMPLATE, (event.org_id, event.number, event.name,
                                       event.description, json.dumps(list(event.blocks)),
                                       list(event.tags), event.occurred_at, event.occurred_at))
            case e.TemplateDeleted():
                writes.add("DELETE FROM templates WHERE org_id = %s AND number = %s",
                           (event.org_id, event.number))
            case _:
                pass

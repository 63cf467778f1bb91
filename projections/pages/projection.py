"""PageDesigns — why: an organization's design system, page templates and landing pages as
the API shows them; how: `rm_pages.design_systems` (one row per organization that changed
its tokens), `rm_pages.templates` and `rm_pages.landing_pages`, keyed by (organization,
number), and HTML pages with their versions (`html_rows`); when: async (projector).
Views are counted beside it (`page_views`).
Queries: `projections.pages.queries`."""

import json

from domain.log import RecordedEvent
from domain.pages import events as e
from domain.pages.design_system import DEFAULTS
from projections.base import Projection
from projections.pages.builder_rows import TOPICS as BUILDER_TOPICS
from projections.pages.builder_rows import apply_block_edit, forget_page_edits
from projections.pages.html_rows import TOPICS as HTML_TOPICS
from projections.pages.html_rows import apply_html_page
from projections.writes import Writes

SCHEMA = "rm_pages"
TOKENS = tuple(DEFAULTS)

_DESIGN = (
    f"INSERT INTO design_systems (org_id, {', '.join(TOKENS)}, updated_at)"
    f" VALUES (%s, {', '.join('%s' for _ in TOKENS)}, %s) ON CONFLICT (org_id) DO UPDATE SET "
    + ", ".join(f"{t} = EXCLUDED.{t}" for t in (*TOKENS, "updated_at"))
)
_PAGE = (
    "INSERT INTO landing_pages (org_id, number, slug, title, query, published, created_at,"
    " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_PAGE_CHANGE = (
    "UPDATE landing_pages SET slug = %s, title = %s, published = %s, updated_at = %s"
    " WHERE org_id = %s AND number = %s"
)
_PAGE_GENERATED = (
    "UPDATE landing_pages SET intro_copy = %s, product_skus = %s, blocks = %s::jsonb,"
    " generated_at = %s, updated_at = %s WHERE org_id = %s AND number = %s"
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
        e.DesignSystemChanged, e.TemplateSaved, e.TemplateChanged, e.TemplateDeleted,
        e.LandingPageCreated, e.LandingPageChanged, e.LandingPageDeleted,
        e.LandingPageGenerated)) | HTML_TOPICS | BUILDER_TOPICS

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event = record.event
        if event.topic() in HTML_TOPICS:
            apply_html_page(writes, record)
            return
        if event.topic() in BUILDER_TOPICS:
            apply_block_edit(writes, record)
            return
        match event:
            case e.DesignSystemChanged():
                writes.add(_DESIGN, (event.org_id, *(getattr(event, t) for t in TOKENS),
                                     event.occurred_at))
            case e.TemplateSaved() | e.TemplateChanged():
                writes.add(_TEMPLATE, (event.org_id, event.number, event.name,
                                       event.description, json.dumps(list(event.blocks)),
                                       list(event.tags), event.occurred_at, event.occurred_at))
            case e.LandingPageCreated():
                writes.add(_PAGE, (event.org_id, event.number, event.slug, event.title,
                                   event.query, event.published, event.occurred_at,
                                   event.occurred_at))
            case e.LandingPageChanged():
                writes.add(_PAGE_CHANGE, (event.slug, event.title, event.published,
                                          event.occurred_at, event.org_id, event.number))
            case e.LandingPageGenerated():
                writes.add(_PAGE_GENERATED, (event.intro_copy, list(event.product_skus),
                                             json.dumps(list(event.blocks)), event.occurred_at,
                                             event.occurred_at, event.org_id, event.number))
            case e.LandingPageDeleted():
                writes.add("DELETE FROM landing_pages WHERE org_id = %s AND number = %s",
                           (event.org_id, event.number))
                forget_page_edits(writes, event.org_id, event.number)
            case e.TemplateDeleted():
                writes.add("DELETE FROM templates WHERE org_id = %s AND number = %s",
                           (event.org_id, event.number))
            case _:
                pass

"""SavedSearches — why: the lists and pages of an organization's saved queries, product
segments and external product feeds, and the segment a search is restricted to; how:
`rm_segments.queries`, `rm_segments.segments` and `rm_segments.feeds` (`feed_rows`), keyed by
(organization, number); when: async (projector).
Queries: `projections.search.segments_queries`."""

from domain.log import RecordedEvent
from domain.search import saved_events as e
from projections.base import Projection
from projections.search.feed_rows import TOPICS as FEED_TOPICS
from projections.search.feed_rows import apply_feed
from projections.writes import Writes

SCHEMA = "rm_segments"

_QUERY = (
    "INSERT INTO queries (org_id, number, text, active, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (org_id, number) DO UPDATE SET"
    " text = EXCLUDED.text, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at"
)
_SEGMENT = (
    "INSERT INTO segments (org_id, number, name, project_ids, categories, skus, feeds,"
    " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (org_id, number) DO UPDATE SET name = EXCLUDED.name,"
    " project_ids = EXCLUDED.project_ids, categories = EXCLUDED.categories,"
    " skus = EXCLUDED.skus, feeds = EXCLUDED.feeds, updated_at = EXCLUDED.updated_at"
)


class SavedSearches(Projection):
    name = "segments"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.QuerySaved, e.QueryChanged, e.QueryDeleted,
        e.SegmentDefined, e.SegmentChanged, e.SegmentDeleted,
    )) | FEED_TOPICS

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event = record.event
        if event.topic() in FEED_TOPICS:
            apply_feed(writes, record)
            return
        match event:
            case e.QuerySaved() | e.QueryChanged():
                writes.add(_QUERY, (event.org_id, event.number, event.text, event.active,
                                    event.occurred_at, event.occurred_at))
            case e.QueryDeleted():
                writes.add("DELETE FROM queries WHERE org_id = %s AND number = %s",
                           (event.org_id, event.number))
            case e.SegmentDefined() | e.SegmentChanged():
                writes.add(_SEGMENT, (event.org_id, event.number, event.name,
                                      list(event.project_ids), list(event.categories),
                                      list(event.skus), list(event.feeds), event.occurred_at,
                                      event.occurred_at))
            case e.SegmentDeleted():
                writes.add("DELETE FROM segments WHERE org_id = %s AND number = %s",
                           (event.org_id, event.number))
            case _:
                pass

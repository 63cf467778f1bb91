"""The feeds table of the SavedSearches read model (`rm_segments.feeds`): each feed as it is
defined, and how its last sync went (products, status, reason)."""

import json

from domain.log import RecordedEvent
from domain.search import feed_events as e
from projections.writes import Writes

TOPICS = frozenset(cls.topic() for cls in (
    e.FeedCreated, e.FeedChanged, e.FeedDeleted, e.FeedSynced, e.FeedSyncFailed))

_FEED = (
    "INSERT INTO feeds (org_id, number, name, url, format, field_map, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (org_id, number) DO UPDATE SET"
    " name = EXCLUDED.name, url = EXCLUDED.url, format = EXCLUDED.format,"
    " field_map = EXCLUDED.field_map, updated_at = EXCLUDED.updated_at"
)
_SYNCED = (
    "UPDATE feeds SET product_count = %s, last_job_id = %s, last_status = 'succeeded',"
    " last_error = NULL, last_synced_at = %s WHERE org_id = %s AND number = %s"
)
_FAILED = (
    "UPDATE feeds SET last_job_id = %s, last_status = 'failed', last_error = %s"
    " WHERE org_id = %s AND number = %s"
)


def apply_feed(writes: Writes, record: RecordedEvent) -> None:
    event = record.event
    match event:
        case e.FeedCreated() | e.FeedChanged():
            writes.add(_FEED, (event.org_id, event.number, event.name, event.url, event.format,
                               json.dumps(event.field_map), event.occurred_at,
                               event.occurred_at))
        case e.FeedSynced():
            writes.add(_SYNCED, (event.total, event.job_id, event.occurred_at, event.org_id,
                                 event.number))
        case e.FeedSyncFailed():
            writes.add(_FAILED, (event.job_id, event.reason, event.org_id, event.number))
        case e.FeedDeleted():
            writes.add("DELETE FROM feeds WHERE org_id = %s AND number = %s",
                       (event.org_id, event.number))
        case _:
            pass

"""StoreConnections — why: the lists and pages of an organization's store connections with
the number of projects linked to each, and every item's sync attempts; how:
`rm_stores.connections`, `rm_stores.links` and `rm_stores.sync_history`;
when: async (projector). A purged project leaves the links. Queries:
`projections.stores.queries`."""

from domain.catalog.events import ProjectPurged
from domain.log import RecordedEvent
from domain.stores import events as e
from projections.base import Projection
from projections.writes import Writes

SCHEMA = "rm_stores"

_CREATED = (
    "INSERT INTO connections (id, org_id, name, platform, base_url, status, has_credentials,"
    " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, 'pending', %s, %s, %s)"
    " ON CONFLICT (id) DO NOTHING"
)
_CHANGED = (
    "UPDATE connections SET name = %s, base_url = %s, status = %s, has_credentials = %s,"
    " updated_at = %s WHERE id = %s"
)
_TESTED = (
    "UPDATE connections SET status = %s, last_message = %s,"
    " store_name = coalesce(%s, store_name),"
    " last_connected_at = CASE WHEN %s THEN %s ELSE last_connected_at END, updated_at = %s"
    " WHERE id = %s"
)
_STARTED = (
    "INSERT INTO sync_history (attempt_id, org_id, project_id, item_id, connection_id,"
    " started_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)
_FINISHED = (
    "UPDATE sync_history SET finished_at = %s, success = %s, error_message = %s,"
    " store_reply_id = %s WHERE attempt_id = %s"
)
_LINKED = ("INSERT INTO links (connection_id, project_id, org_id) VALUES (%s, %s, %s)"
           " ON CONFLICT DO NOTHING")


class StoreConnections(Projection):
    name = "stores"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.StoreConnectionCreated, e.StoreConnectionChanged, e.StoreConnectionTested,
        e.StoreConnectionLinked, e.StoreConnectionUnlinked, e.StoreConnectionDeleted,
        e.StoreConnectionAutoSyncSet,
        e.ItemSyncStarted, e.ItemSyncFinished, ProjectPurged))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, aid = record.event, record.aggregate_id
        match event:
            case e.StoreConnectionCreated():
                writes.add(_CREATED, (aid, event.org_id, event.name, event.platform,
                                      event.base_url, bool(event.credentials_fingerprint),
                                      event.occurred_at, event.occurred_at))
            case e.StoreConnectionChanged():
                writes.add(_CHANGED, (event.name, event.base_url, event.status,
                                      bool(event.credentials_fingerprint), event.occurred_at,
                                      aid))
            case e.StoreConnectionTested():
                writes.add(_TESTED, ("active" if event.success else "error", event.message,
                                     event.store_name, event.success, event.occurred_at,
                                     event.occurred_at, aid))
            case e.StoreConnectionAutoSyncSet():
                writes.add("UPDATE connections SET auto_sync = %s, updated_at = %s WHERE id = %s",
                           (event.auto_sync, event.occurred_at, aid))
            case e.StoreConnectionLinked():
                writes.add(_LINKED, (aid, event.project_id, event.org_id))
            case e.StoreConnectionUnlinked():
                writes.add("DELETE FROM links WHERE connection_id = %s AND project_id = %s",
                           (aid, event.project_id))
            case e.StoreConnectionDeleted():
                writes.add("DELETE FROM links WHERE connection_id = %s", (aid,))
                writes.add("DELETE FROM connections WHERE id = %s", (aid,))
            case e.ItemSyncStarted():
                writes.add(_STARTED, (event.attempt_id, event.org_id, event.project_id,
                                      event.item_id, event.connection_id, event.occurred_at))
            case e.ItemSyncFinished():
                writes.add(_FINISHED, (event.occurred_at, event.success, event.error,
                                       event.store_reply_id, event.attempt_id))
            case ProjectPurged():
                writes.add("DELETE FROM links WHERE project_id = %s", (aid,))
                writes.add("DELETE FROM sync_history WHERE project_id = %s", (aid,))
            case _:
                pass

"""The event store: eventsourcing's PostgreSQL recorder, with group commit and side writes.

eventsourcing's insert takes `LOCK TABLE … IN EXCLUSIVE MODE` so that positions become
visible in commit order (a reader tailing `position > last` never skips an event); that lock
serializes writers. One writer thread per process therefore gathers the appends of concurrent
commands and writes them in one transaction (one lock, one commit). If that transaction hits a
stale version, each command's events are written on their own, so only the stale ones fail.
"""

import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.conninfo import conninfo_to_dict

from adapters.postgres.codec import decode_event, encode_event
from adapters.postgres.snapshots import RecentStreams, SnapshotTable, StoredSnapshot
from domain.events import DomainEvent
from domain.log import (
    EventMeta,
    IndexEntries,
    NewEvent,
    SideWrites,
    Snapshot,
    StaleWriteError,
)

EVENTS_TABLE = "events"
MAX_GROUP = 256
_COPY_INDEX = "COPY write_index (index_name, key, entry) FROM STDIN"
_LOOK_UP = "SELECT entry FROM write_index WHERE index_name = %s AND key = %s"
_entry_encoder = msgspec.json.Encoder()
_INSERT_EVENTS = (
    f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
    " SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[])"
    " RETURNING notification_id"
)


class SideWritingRecorder(PostgresApplicationRecorder):
    """Appends with the rows a command writes beside its events, in one plain transaction.

    The library's insert runs in psycopg's pipeline mode, where a statement whose parameters
    pass about 1 MB never completes (the server waits to read, the client waits for results):
    a large group of appends would hang every later write of the process. Without the
    pipeline it is the same statements — side writes, table lock, NOTIFY, INSERT … RETURNING
    — at a few more round trips.

    The events go as four arrays in binary (ids, versions, topics, states) rather than the
    library's one array of a composite type in text: that one is quoted in Python and
    parsed again by the server, with every state hex-encoded, which made large appends
    (an import's batches) cost more than everything else the command did.
    """

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        if not stored_events:
            return []
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            entries: list[IndexEntries] = []
            for write in kwargs.get("side_writes", ()):
                if isinstance(write, IndexEntries):
                    entries.append(write)
                else:
                    curs.execute(write.sql, write.params)
            if entries:
                # COPY: an import adds a thousand entries at a time; a key already there
                # fails it (IntegrityError), as a stale version would
                with curs.copy(_COPY_INDEX) as copy:
                    for write in entries:
                        for key, entry in write.entries.items():
                            copy.write_row((write.index, key, _entry_encoder.encode(entry).decode()))
            self._lock_table(curs)
            self._notify_channel(curs)
            curs.execute(_INSERT_EVENTS, (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events], [e.state for e in stored_events]))
            return self._fetch_ids_after_insert_events(curs, stored_events) or []


def make_datastore(database_url: str, pool_size: int = 4, max_overflow: int = 8) -> PostgresDatastore:
    params = conninfo_to_dict(database_url)
    return PostgresDatastore(
        dbname=str(params.get("dbname", "postgres")),
        host=str(params.get("host", "localhost")),
        port=str(params.get("port", 5432)),
        user=str(params.get("user", "postgres")),
        password=str(params.get("password", "")),
        pool_size=pool_size,
        max_overflow=max_overflow,
        lock_timeout=10,
    )


class _Append:
    def __init__(self, stored: list[StoredEvent], side_writes: SideWrites) -> None:
        self.stored = stored
        self.side_writes = side_writes
        self.done: Future[list[int]] = Future()


class PostgresEventStore:
    def __init__(self, database_url: str, *, pool_size: int = 4, max_overflow: int = 8) -> None:
        self.datastore = make_datastore(database_url, pool_size, max_overflow)
        self.recorder = SideWritingRecorder(self.datastore, events_table_name=EVENTS_TABLE)
        self._recent = RecentStreams()
        self._snapshots = SnapshotTable(self.datastore)
        self._queue: queue.Queue[_Append | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name="event-writer", daemon=True)
        self._writer.start()

    def create_table(self) -> None:
        self.recorder.create_table()

    def close(self) -> None:
        self._queue.put(None)
        self._writer.join(timeout=10)
        self.datastore.close()

    # reading

    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]:
        """An aggregate's whole stream (commands load from a snapshot: `load_latest`). A
        stream kept whole in memory is read for what is new only."""
        entry = self._recent.get_whole(aggregate_id)
        known = entry.tail if entry is not None else []
        events = known + self._decode(
            self.recorder.select_events(aggregate_id, gt=len(known) or None))
        if entry is not None or self._recent.get_any(aggregate_id) is None:
            self._recent.put(aggregate_id, None, events)
        if until is not None:
            events = [e for e in events if e.occurred_at <= until]
        return events

    def load_latest(
        self, aggregate_id: UUID, state_version: str
    ) -> tuple[Snapshot | None, list[DomainEvent]]:
        """The latest snapshot and the events after it. What was read before comes from
        memory (a stored event never changes), so a command costs one query for what is new,
        and a restarted process one more for the snapshot."""
        entry = self._recent.get(aggregate_id, state_version)
        if entry is not None:
            stored, tail = entry.snapshot, entry.tail
        else:
            stored, tail = self._snapshots.latest(aggregate_id, state_version), []
        snapshot = stored.open() if stored is not None else None
        if snapshot is None and stored is not None:  # unreadable: replay from the start
            stored, tail = None, []
        head = (snapshot.version if snapshot else 0) + len(tail)
        tail = tail + self._decode(self.recorder.select_events(aggregate_id, gt=head or None))
        self._recent.put(aggregate_id, stored, tail)
        return snapshot, list(tail)

    @property
    def cached_events(self) -> int:
        return self._recent.size

    def save_snapshot(self, snapshot: Snapshot) -> None:
        stored = StoredSnapshot.of(snapshot)
        self._snapshots.save(stored)
        self._recent.taken(stored)

    @staticmethod
    def _decode(stored: Sequence[StoredEvent]) -> list[DomainEvent]:
        return [decode_event(s.topic, s.state)[0] for s in stored]

    def look_up(self, index: str, key: UUID) -> dict[str, Any] | None:
        with self.datastore.get_connection() as conn:
            row = conn.execute(_LOOK_UP, (index, key)).fetchone()
        return dict(row["entry"]) if row is not None else None

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    # writing

    def append(
        self, events: Sequence[NewEvent], meta: EventMeta, side_writes: SideWrites = ()
    ) -> list[int]:
        stored = [
            StoredEvent(originator_id=e.aggregate_id, originator_version=e.aggregate_version,
                        topic=e.event.topic(), state=encode_event(e.event, meta))
            for e in events
        ]
        job = _Append(stored, side_writes)
        self._queue.put(job)
        return job.done.result()

    def _write_loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < MAX_GROUP:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                group.append(nxt)
            self._write_group(group)

    def _write_group(self, group: list[_Append]) -> None:
        if len(group) > 1 and not self._touches_one_aggregate_twice(group):
            try:
                ids = self._insert([e for job in group for e in job.stored],
                                   [w for job in group for w in job.side_writes])
            except IntegrityError:
                pass  # someone in the group is stale: find out who, one by one
            except Exception as error:
                for job in group:
                    job.done.set_exception(error)
                return
            else:
                offset = 0
                for job in group:
                    job.done.set_result(ids[offset:offset + len(job.stored)])
                    offset += len(job.stored)
                return
        for job in group:
            try:
                job.done.set_result(self._insert(job.stored, job.side_writes))
            except IntegrityError:
                job.done.set_exception(StaleWriteError())
            except Exception as error:
                job.done.set_exception(error)

    @staticmethod
    def _touches_one_aggregate_twice(group: list[_Append]) -> bool:
        seen: set[tuple[UUID | str, int]] = set()
        for job in group:
            keys = {(e.originator_id, e.originator_version) for e in job.stored}
            if keys & seen:
                return True
            seen |= keys
        return False

    def _insert(self, stored: list[StoredEvent], side_writes: SideWrites) -> list[int]:
        ids = self.recorder.insert_events(stored, side_writes=side_writes)
        assert ids is not None and len(ids) == len(stored)
        return list(ids)

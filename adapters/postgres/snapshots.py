"""Snapshots of aggregates (the `snapshots` table) and the streams read last, in memory.

A snapshot's state is kept as JSON (`snapshot_codec`), which builds nothing but plain values and
the domain's own enums and dataclasses when read back. It is derived data: a row that cannot be
read back is ignored and the stream replayed instead.
"""

import threading
from collections import OrderedDict
from uuid import UUID

import structlog
from eventsourcing.postgres import PostgresDatastore

from adapters.postgres import snapshot_codec
from domain.events import DomainEvent
from domain.log import Snapshot

log = structlog.get_logger("copydesk.snapshots")

_SELECT = ("SELECT version, state FROM snapshots WHERE stream_id = %s AND state_version = %s")
_UPSERT = (
    "INSERT INTO snapshots (stream_id, state_version, version, state) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (stream_id, state_version) DO UPDATE"
    " SET version = EXCLUDED.version, state = EXCLUDED.state, taken_at = now()"
    " WHERE snapshots.version < EXCLUDED.version"
)
# a row of another state version is never read again by this code; during a rolling deploy
# the two versions delete each other's rows, which costs a replay, never a wrong state
_DELETE_OTHERS = "DELETE FROM snapshots WHERE stream_id = %s AND state_version <> %s"


class StoredSnapshot:
    """A snapshot as kept: its state still encoded (each load decodes its own copy)."""

    __slots__ = ("aggregate_id", "blob", "state_version", "version")

    def __init__(self, aggregate_id: UUID, version: int, state_version: str, blob: bytes) -> None:
        self.aggregate_id = aggregate_id
        self.version = version
        self.state_version = state_version
        self.blob = blob

    @classmethod
    def of(cls, snapshot: Snapshot) -> "StoredSnapshot":
        return cls(snapshot.aggregate_id, snapshot.version, snapshot.state_version,
                   snapshot_codec.dumps(snapshot.state))

    def open(self) -> Snapshot | None:
        try:
            state = snapshot_codec.loads(self.blob)
        except Exception as error:  # a class renamed or removed since: replay instead
            log.warning("snapshot_unreadable", stream_id=str(self.aggregate_id),
                        version=self.version, error=type(error).__name__)
            return None
        return Snapshot(aggregate_id=self.aggregate_id, version=self.version,
                        state_version=self.state_version, state=state)


class SnapshotTable:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    def latest(self, aggregate_id: UUID, state_version: str) -> StoredSnapshot | None:
        with self.datastore.get_connection() as conn:
            row = conn.execute(_SELECT, (aggregate_id, state_version)).fetchone()
        if row is None:
            return None
        return StoredSnapshot(aggregate_id, int(row["version"]), state_version,
                              bytes(row["state"]))

    def save(self, stored: StoredSnapshot) -> None:
        with self.datastore.get_connection() as conn, conn.transaction():
            conn.execute(_UPSERT, (stored.aggregate_id, stored.state_version, stored.version,
                                   stored.blob))
            conn.execute(_DELETE_OTHERS, (stored.aggregate_id, stored.state_version))


class _Entry:
    __slots__ = ("snapshot", "tail")

    def __init__(self, snapshot: StoredSnapshot | None, tail: list[DomainEvent]) -> None:
        self.snapshot = snapshot
        self.tail = tail  # the events after the snapshot (all of them without one)

    @property
    def base(self) -> int:
        return self.snapshot.version if self.snapshot is not None else 0

    @property
    def head(self) -> int:
        return self.base + len(self.tail)


class RecentStreams:
    """The aggregates used last: each one's latest snapshot and the events after it, up to
    `MAX_EVENTS` such events in all (a snapshot taken trims its stream's events)."""

    MAX_EVENTS = 200_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: OrderedDict[UUID, _Entry] = OrderedDict()
        self._size = 0

    @property
    def size(self) -> int:
        """Events held, all streams together."""
        return self._size

    def get(self, aggregate_id: UUID, state_version: str) -> _Entry | None:
        with self._lock:
            entry = self._streams.get(aggregate_id)
            if entry is None:
                return None
            if entry.snapshot is not None and entry.snapshot.state_version != state_version:
                return None
            self._streams.move_to_end(aggregate_id)
            return entry

    def get_whole(self, aggregate_id: UUID) -> _Entry | None:
        """The stream's entry if it holds all its events (no snapshot)."""
        with self._lock:
            entry = self._streams.get(aggregate_id)
            return entry if entry is not None and entry.snapshot is None else None

    def get_any(self, aggregate_id: UUID) -> _Entry | None:
        with self._lock:
            return self._streams.get(aggregate_id)

    def put(self, aggregate_id: UUID, snapshot: StoredSnapshot | None,
            tail: list[DomainEvent]) -> None:
        entry = _Entry(snapshot, tail)
        with self._lock:
            old = self._streams.pop(aggregate_id, None)
            if old is not None and old.head > entry.head:
                entry = old  # a slower reader came second: keep the longer history
            self._set(aggregate_id, entry, old)

    def taken(self, stored: StoredSnapshot) -> None:
        """A snapshot was saved: keep it with the events after it, drop those before."""
        with self._lock:
            old = self._streams.pop(stored.aggregate_id, None)
            if old is not None and old.base <= stored.version <= old.head:
                entry = _Entry(stored, old.tail[stored.version - old.base:])
            elif old is not None and old.head > stored.version:
                entry = old
            else:
                entry = _Entry(stored, [])
            self._set(stored.aggregate_id, entry, old)

    def _set(self, aggregate_id: UUID, entry: _Entry, old: _Entry | None) -> None:
        self._streams[aggregate_id] = entry
        self._size += len(entry.tail) - (len(old.tail) if old else 0)
        while self._size > self.MAX_EVENTS and len(self._streams) > 1:
            _, dropped = self._streams.popitem(last=False)
            self._size -= len(dropped.tail)

"""An in-memory event store with the same contract as the PostgreSQL one (for unit tests)."""

import copy
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.events import DomainEvent
from domain.log import (
    EventMeta,
    IndexEntries,
    NewEvent,
    RecordedEvent,
    SideWrite,
    SideWrites,
    Snapshot,
    StaleWriteError,
)


class InMemoryEventStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[UUID, list[DomainEvent]] = {}
        self.log: list[RecordedEvent] = []
        self.side_writes: list[SideWrite] = []
        self.index: dict[tuple[str, UUID], dict[str, Any]] = {}
        self.snapshots: dict[UUID, Snapshot] = {}

    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]:
        events = list(self._streams.get(aggregate_id, ()))
        if until is not None:
            events = [e for e in events if e.occurred_at <= until]
        return events

    def load_latest(
        self, aggregate_id: UUID, state_version: str
    ) -> tuple[Snapshot | None, list[DomainEvent]]:
        events = self.load(aggregate_id)
        with self._lock:
            snapshot = self.snapshots.get(aggregate_id)
        if snapshot is None or snapshot.state_version != state_version:
            return None, events
        # a copy, as the PostgreSQL store's decoding gives: the aggregate mutates its state
        return copy.deepcopy(snapshot), events[snapshot.version:]

    def save_snapshot(self, snapshot: Snapshot) -> None:
        with self._lock:
            kept = self.snapshots.get(snapshot.aggregate_id)
            if kept is None or kept.version < snapshot.version:
                self.snapshots[snapshot.aggregate_id] = copy.deepcopy(snapshot)

    def append(
        self, events: Sequence[NewEvent], meta: EventMeta, side_writes: SideWrites = ()
    ) -> list[int]:
        with self._lock:
            entries = {(w.index, key): dict(entry) for w in side_writes
                       if isinstance(w, IndexEntries) for key, entry in w.entries.items()}
            if entries.keys() & self.index.keys():
                raise StaleWriteError(next(iter(entries.keys() & self.index.keys()))[1])
            for new in events:
                stream = self._streams.get(new.aggregate_id, [])
                pending_before = sum(
                    1 for e in events[: events.index(new)] if e.aggregate_id == new.aggregate_id
                )
                if len(stream) + pending_before + 1 != new.aggregate_version:
                    raise StaleWriteError(new.aggregate_id)
            positions = []
            for new in events:
                self._streams.setdefault(new.aggregate_id, []).append(new.event)
                recorded = RecordedEvent(
                    position=len(self.log) + 1, aggregate_id=new.aggregate_id,
                    aggregate_version=new.aggregate_version, topic=new.event.topic(),
                    event=new.event, meta=meta,
                )
                self.log.append(recorded)
                positions.append(recorded.position)
            self.side_writes.extend(w for w in side_writes if isinstance(w, SideWrite))
            self.index.update(entries)
            return positions

    def look_up(self, index: str, key: UUID) -> dict[str, Any] | None:
        with self._lock:
            entry = self.index.get((index, key))
            return dict(entry) if entry is not None else None

"""One command's view of the store: the aggregates it loaded and what it will save."""

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from commands.locks import AggregateLocks, HeldLocks
from domain.aggregate import Aggregate
from domain.errors import NotFoundError
from domain.log import EventStore, IndexEntries, NewEvent, SideWrite, Snapshot

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    def __init__(self, store: EventStore, locks: AggregateLocks | None = None) -> None:
        self._store = store
        self._held = HeldLocks(locks) if locks is not None else None
        self._seen: dict[UUID, Aggregate] = {}
        self._last: dict[UUID, None] = {}
        self._snapshot_at: dict[UUID, int] = {}
        self.side_writes: list[SideWrite | IndexEntries] = []

    def release(self) -> None:
        """Let the next command on these aggregates go (after the append)."""
        if self._held is not None:
            self._held.release()

    def get(self, cls: type[A], aggregate_id: UUID) -> A:
        """The aggregate, possibly new (`exists` is False) when nothing was stored yet."""
        seen = self._seen.get(aggregate_id)
        if seen is not None:
            assert isinstance(seen, cls)
            return seen
        if self._held is not None:
            self._held.take(aggregate_id)
        snapshot, events = self._store.load_latest(aggregate_id, cls.state_version())
        if snapshot is None:
            aggregate = cls.rebuild(aggregate_id, events)
        else:
            aggregate = cls.from_snapshot(aggregate_id, snapshot.version, snapshot.state)
            for event in events:
                aggregate.evolve(event)
                aggregate.version += 1
        self._snapshot_at[aggregate_id] = snapshot.version if snapshot else 0
        self._seen[aggregate_id] = aggregate
        return aggregate

    def get_existing(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        aggregate = self.get(cls, aggregate_id)
        if not aggregate.exists:
            raise NotFoundError(f"{what} not found")
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self._seen[aggregate.id] = aggregate

    def append_last(self, aggregate: Aggregate) -> None:
        """Put `aggregate`'s new events after every other one's, whatever the loading order:
        a job's outcome after the work it records, so that a reader who has seen the outcome
        (a position) has seen the work."""
        self._seen.setdefault(aggregate.id, aggregate)
        self._last[aggregate.id] = None

    def write_beside(self, write: SideWrite) -> None:
        """A row to write with the events; the module that owns its table builds it."""
        self.side_writes.append(write)

    def add_to_index(self, index: str, entries: Mapping[UUID, Mapping[str, Any]]) -> None:
        """Entries of a write-side index (see `IndexEntries`), added with the events."""
        self.side_writes.append(IndexEntries(index, entries))

    def look_up(self, index: str, key: UUID) -> dict[str, Any] | None:
        """An index entry, the ones this command adds included."""
        for write in reversed(self.side_writes):
            if isinstance(write, IndexEntries) and key in write.entries:
                return dict(write.entries[key])
        return self._store.look_up(index, key)

    def new_events(self) -> list[NewEvent]:
        out: list[NewEvent] = []
        order = [a for i, a in self._seen.items() if i not in self._last]
        order += [self._seen[i] for i in self._last]
        for aggregate in order:
            events = aggregate.collect()
            out.extend(
                NewEvent(aggregate_id=aggregate.id, aggregate_version=aggregate.version + n,
                         event=event)
                for n, event in enumerate(events, start=1)
            )
            aggregate.version += len(events)
        return out

    def snapshots_due(self, every: int) -> list[Snapshot]:
        """Snapshots of the aggregates loaded `every` or more events past their last one
        (after the append: their state then is that of the stored events)."""
        return [
            Snapshot(aggregate_id=aggregate.id, version=aggregate.version,
                     state_version=type(aggregate).state_version(),
                     state=aggregate.snapshot_state())
            for aggregate_id, aggregate in self._seen.items()
            if aggregate_id in self._snapshot_at and not aggregate.pending
            and aggregate.version - self._snapshot_at[aggregate_id] >= every
        ]

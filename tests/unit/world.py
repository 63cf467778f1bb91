"""Given / when / then for the unit tests, written once.

`given` rebuilds an aggregate from past events and `then` checks the events it recorded since;
`InMemoryWorld` runs commands through the real bus on an in-memory store and reads back what
they recorded. The per-context worlds (e.g. `catalog_world.World`) build on it.
"""

import dataclasses
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from domain.aggregate import Aggregate
from domain.events import DomainEvent
from domain.log import EventMeta, RecordedEvent

A = TypeVar("A", bound=Aggregate)
USER = EventMeta(actor_type="user")
SYSTEM = EventMeta(actor_type="system")
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def given(cls: type[A], *events: DomainEvent, id: UUID) -> A:
    """The aggregate `id` of type `cls`, as its past `events` left it."""
    return cls.rebuild(id, events)


def timeless(event: DomainEvent) -> DomainEvent:
    return dataclasses.replace(event, occurred_at=EPOCH)


def then(aggregate: Aggregate, *expected: DomainEvent) -> None:
    """The aggregate recorded exactly `expected` (whenever they occurred) since the last `then`."""
    assert [timeless(e) for e in aggregate.collect()] == [timeless(e) for e in expected]


class InMemoryWorld:
    """An in-memory store and the command bus: `when` runs a command and answers its result."""

    meta = USER

    def __init__(self, store: InMemoryEventStore | None = None) -> None:
        self.store = store if store is not None else InMemoryEventStore()
        self.bus = CommandBus(self.store)

    def when(self, handler: Any, cmd: Any) -> Any:
        return self.bus.execute(handler, cmd, self.meta).result

    def load(self, cls: type[A], aggregate_id: UUID) -> A:
        return cls.rebuild(aggregate_id, self.store.load(aggregate_id))

    def position(self) -> int:
        """How many events the log holds: a mark for `recorded_since`."""
        return len(self.store.log)

    def recorded_since(self, mark: int) -> list[RecordedEvent]:
        return self.store.log[mark:]

    def events_since(self, mark: int) -> list[DomainEvent]:
        return [record.event for record in self.recorded_since(mark)]

    def events_of(self, aggregate_id: UUID) -> list[DomainEvent]:
        return [r.event for r in self.store.log if r.aggregate_id == aggregate_id]

    def events_mention(self, text: str) -> bool:
        """Whether any recorded event holds `text` in any of its fields."""
        return any(text in repr(dataclasses.asdict(r.event)) for r in self.store.log)

"""The base of every aggregate: state folded from its events, new events recorded."""

from collections.abc import Iterable
from typing import Self
from uuid import UUID

from domain.events import DomainEvent


class Aggregate:
    """An aggregate is rebuilt by `evolve`-ing each of its past events in order.

    Command methods check the rules, then `_record` new events; `_record` evolves the
    state at once, so a method may record several events. `evolve` must never fail:
    replay runs it on every event ever stored.
    """

    def __init__(self, aggregate_id: UUID) -> None:
        self.id = aggregate_id
        self.version = 0
        self.pending: list[DomainEvent] = []

    @classmethod
    def rebuild(cls, aggregate_id: UUID, events: Iterable[DomainEvent]) -> Self:
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate.evolve(event)
            aggregate.version += 1
        return aggregate

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def evolve(self, event: DomainEvent) -> None:
        raise NotImplementedError

    def _record(self, event: DomainEvent) -> None:
        self.evolve(event)
        self.pending.append(event)

    def collect(self) -> list[DomainEvent]:
        """Hand over the recorded events (the store appends them after `version`)."""
        events, self.pending = self.pending, []
        return events

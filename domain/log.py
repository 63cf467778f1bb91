"""The log's types and the store port: events as recorded, their meta, and the store handlers use."""

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class EventMeta:
    """Who caused an event and in answer to what; stored beside it, never in the domain."""

    actor_type: str = "system"  # "user", "api_key" or "system"
    actor_id: str | None = None
    request_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class NewEvent:
    aggregate_id: UUID
    aggregate_version: int
    event: DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordedEvent:
    """An event as the log holds it: its position is its place in the total order."""

    position: int
    aggregate_id: UUID
    aggregate_version: int
    topic: str
    event: DomainEvent
    meta: EventMeta


@dataclasses.dataclass(frozen=True)
class SideWrite:
    """A row written in the same transaction as the events (hashes, secrets: never logged)."""

    sql: str
    params: tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class IndexEntries:
    """Entries of a write-side index, added in the same transaction as the events.

    An index answers the one question the events cannot answer cheaply: where to find what
    a command needs about an id whose own stream has not begun (a product imported in a
    batch, not changed since). Entries are facts already in the events, never changed; an
    entry whose key the index already holds makes the append stale."""

    index: str
    entries: Mapping[UUID, Mapping[str, Any]]


SideWrites = Sequence[SideWrite | IndexEntries]
"""What a command writes beside its events, in their transaction."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Snapshot:
    """An aggregate's state after its first `version` events (derived data, see Aggregate)."""

    aggregate_id: UUID
    version: int
    state_version: str
    state: dict[str, Any]


class EventStore(Protocol):
    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]: ...

    def load_latest(
        self, aggregate_id: UUID, state_version: str
    ) -> tuple[Snapshot | None, list[DomainEvent]]:
        """The latest snapshot taken under `state_version` (None: none is) and the events
        after it (all of them without one)."""
        ...

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep `snapshot` as the aggregate's latest, unless a later one is kept already."""
        ...

    def append(
        self, events: Sequence[NewEvent], meta: EventMeta, side_writes: SideWrites = ()
    ) -> list[int]:
        """Append atomically; the positions given, in order. Raises StaleWriteError."""
        ...

    def look_up(self, index: str, key: UUID) -> dict[str, Any] | None:
        """An entry of a write-side index (see `IndexEntries`), None when there is none."""
        ...


class StaleWriteError(Exception):
    """Another writer appended to one of the aggregates (or a side write clashed) first."""

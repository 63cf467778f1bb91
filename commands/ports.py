"""What handlers need from the outside: an event store, and its recorded events."""

import dataclasses
from collections.abc import Sequence
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


class EventStore(Protocol):
    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]: ...

    def append(
        self, events: Sequence[NewEvent], meta: EventMeta, side_writes: Sequence[SideWrite] = ()
    ) -> list[int]:
        """Append atomically; the positions given, in order. Raises StaleWriteError."""
        ...


class StaleWriteError(Exception):
    """Another writer appended to one of the aggregates (or a side write clashed) first."""

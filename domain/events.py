"""The base of every domain event, and the catalogue that names them in the log."""

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """A fact that happened to one aggregate of one organization.

    Subclasses set `context` (the bounded context, e.g. "billing"); the topic of an
    event in the log is `<context>.<ClassName>`. `version` counts schema changes of
    an event class; `upcasters[n]` turns the stored data of version n into n + 1.
    """

    org_id: UUID
    occurred_at: datetime = dataclasses.field(default_factory=utcnow)

    context: ClassVar[str] = ""
    version: ClassVar[int] = 1
    upcasters: ClassVar[dict[int, Upcaster]] = {}

    _by_topic: ClassVar[dict[str, type["DomainEvent"]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.context:
            DomainEvent._by_topic[cls.topic()] = cls

    @classmethod
    def topic(cls) -> str:
        return f"{cls.context}.{cls.__name__}"

    @classmethod
    def upcast(cls, data: dict[str, Any], from_version: int) -> dict[str, Any]:
        for version in range(from_version, cls.version):
            data = cls.upcasters[version](data)
        return data


def event_class(topic: str) -> type[DomainEvent]:
    """The event class a topic names; KeyError for a topic nobody defines."""
    return DomainEvent._by_topic[topic]


def event_topics() -> dict[str, type[DomainEvent]]:
    return dict(DomainEvent._by_topic)

"""The base of every domain event. Which events the log may hold is `domain/catalogue.py`."""

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, dataclass_transform
from uuid import UUID

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass_transform(frozen_default=True, kw_only_default=True)
@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """A fact that happened to one aggregate of one organization.

    Every subclass is made a frozen, keyword-only dataclass. Each context has one base
    subclass that sets `context` (e.g. "billing"), and its events subclass that base; the
    topic of an event in the log is `<context>.<ClassName>`. `version` counts schema
    changes of an event class; `upcasters[n]` turns the stored data of version n into n + 1.
    """

    org_id: UUID
    occurred_at: datetime = dataclasses.field(default_factory=utcnow)

    context: ClassVar[str] = ""
    version: ClassVar[int] = 1
    upcasters: ClassVar[dict[int, Upcaster]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True, kw_only=True)(cls)

    @classmethod
    def topic(cls) -> str:
        return f"{cls.context}.{cls.__name__}"

    @classmethod
    def upcast(cls, data: dict[str, Any], from_version: int) -> dict[str, Any]:
        for version in range(from_version, cls.version):
            data = cls.upcasters[version](data)
        return data

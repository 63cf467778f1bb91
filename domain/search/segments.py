"""A product segment: a named set of the organization's products, by project, by external
feed, by category or by explicit SKUs. A product is in the segment when it meets every
criterion given (in one of the projects, from one of the feeds, of one of the categories,
one of the SKUs); at least one is needed."""

import dataclasses
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.search.saved_events import SegmentChanged, SegmentDefined, SegmentDeleted

SEGMENT_KIND = "segment"
MAX_NAME_LENGTH = 200
MAX_PROJECTS = 100
MAX_FEEDS = 100
MAX_FEED_NUMBER = 2**31 - 1
MAX_CATEGORIES = 100
MAX_SKUS = 5000
MAX_VALUE_LENGTH = 200


@dataclasses.dataclass(frozen=True, kw_only=True)
class SegmentRule:
    """Which products a segment holds; an empty criterion does not restrict."""

    project_ids: tuple[UUID, ...] = ()
    categories: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    feeds: tuple[int, ...] = ()
    """Numbers of the organization's product feeds."""


def _values(values: tuple[str, ...], field: str, most: int) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > most:
        raise InvalidCommandError(f"{field} may hold at most {most} values")
    if any(len(v) > MAX_VALUE_LENGTH for v in cleaned):
        raise InvalidCommandError(f"each of {field} must be at most {MAX_VALUE_LENGTH} characters")
    return cleaned


def check_rule(rule: SegmentRule) -> SegmentRule:
    """The rule without blanks and repeats; InvalidCommandError when it selects nothing."""
    projects = tuple(dict.fromkeys(rule.project_ids))
    if len(projects) > MAX_PROJECTS:
        raise InvalidCommandError(f"project_ids may hold at most {MAX_PROJECTS} values")
    feeds = tuple(dict.fromkeys(rule.feeds))
    if len(feeds) > MAX_FEEDS:
        raise InvalidCommandError(f"feeds may hold at most {MAX_FEEDS} values")
    if any(isinstance(n, bool) or not 1 <= n <= MAX_FEED_NUMBER for n in feeds):
        raise InvalidCommandError("feeds must be ids of product feeds (whole numbers from 1)")
    checked = SegmentRule(project_ids=projects,
                          categories=_values(rule.categories, "categories", MAX_CATEGORIES),
                          skus=_values(rule.skus, "skus", MAX_SKUS), feeds=feeds)
    if not (checked.project_ids or checked.categories or checked.skus or checked.feeds):
        raise InvalidCommandError("a segment needs project_ids, feeds, categories or skus")
    return checked


def check_segment_name(name: str) -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


class ProductSegment(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.name = ""
        self.project_ids: tuple[UUID, ...] = ()
        self.categories: tuple[str, ...] = ()
        self.skus: tuple[str, ...] = ()
        self.feeds: tuple[int, ...] = ()
        self.live = False

    @property
    def rule(self) -> SegmentRule:
        return SegmentRule(project_ids=self.project_ids, categories=self.categories,
                           skus=self.skus, feeds=self.feeds)

    def define(self, *, org_id: UUID, number: int, name: str, rule: SegmentRule) -> None:
        rule = check_rule(rule)
        self._record(SegmentDefined(
            org_id=org_id, number=number, name=check_segment_name(name),
            project_ids=rule.project_ids, categories=rule.categories, skus=rule.skus,
            feeds=rule.feeds))

    def change(self, org_id: UUID, *, name: str | None, rule: SegmentRule) -> bool:
        """Rename and/or redefine (`rule` already merged with the current one); False when
        nothing changes."""
        self.check_is_live(org_id)
        new_name = self.name if name is None else check_segment_name(name)
        new_rule = check_rule(rule)
        if (new_name, new_rule) == (self.name, self.rule):
            return False
        self._record(SegmentChanged(
            org_id=org_id, number=self.number, name=new_name, project_ids=new_rule.project_ids,
            categories=new_rule.categories, skus=new_rule.skus, feeds=new_rule.feeds))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(SegmentDeleted(org_id=org_id, number=self.number))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("segment not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case SegmentDefined() | SegmentChanged():
                self.org_id, self.number, self.name = event.org_id, event.number, event.name
                self.project_ids = tuple(event.project_ids)
                self.categories, self.skus = tuple(event.categories), tuple(event.skus)
                self.feeds = tuple(event.feeds)
                self.live = True
            case SegmentDeleted():
                self.live = False
            case _:
                pass

"""Search commands on product segments, numbered per organization."""

import dataclasses
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.search.numbering import NumberCounter, counter_id, numbered_id
from domain.search.segments import SEGMENT_KIND, ProductSegment, SegmentRule


@dataclasses.dataclass(frozen=True, kw_only=True)
class DefineSegment:
    org_id: UUID
    name: str
    project_ids: tuple[UUID, ...] = ()
    categories: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    feeds: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeSegment:
    """`None`: leave as it is."""

    org_id: UUID
    number: int
    name: str | None = None
    project_ids: tuple[UUID, ...] | None = None
    categories: tuple[str, ...] | None = None
    skus: tuple[str, ...] | None = None
    feeds: tuple[int, ...] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteSegment:
    org_id: UUID
    number: int


def define_segment(uow: UnitOfWork, cmd: DefineSegment) -> int:
    """Define a segment under the organization's next number; returns the number."""
    counter = uow.get(NumberCounter, counter_id(cmd.org_id, SEGMENT_KIND))
    number = counter.allocate(cmd.org_id, SEGMENT_KIND)
    segment = uow.get(ProductSegment, numbered_id(cmd.org_id, SEGMENT_KIND, number))
    segment.define(org_id=cmd.org_id, number=number, name=cmd.name, rule=SegmentRule(
        project_ids=cmd.project_ids, categories=cmd.categories, skus=cmd.skus, feeds=cmd.feeds))
    return number


def change_segment(uow: UnitOfWork, cmd: ChangeSegment) -> None:
    """Rename or redefine; NotFoundError when the organization has no such segment."""
    segment = uow.get(ProductSegment, numbered_id(cmd.org_id, SEGMENT_KIND, cmd.number))
    segment.check_is_live(cmd.org_id)
    current = segment.rule
    rule = dataclasses.replace(
        current,
        project_ids=current.project_ids if cmd.project_ids is None else cmd.project_ids,
        categories=current.categories if cmd.categories is None else cmd.categories,
        skus=current.skus if cmd.skus is None else cmd.skus,
        feeds=current.feeds if cmd.feeds is None else cmd.feeds)
    segment.change(cmd.org_id, name=cmd.name, rule=rule)


def delete_segment(uow: UnitOfWork, cmd: DeleteSegment) -> None:
    uow.get(ProductSegment, numbered_id(cmd.org_id, SEGMENT_KIND, cmd.number)).delete(cmd.org_id)

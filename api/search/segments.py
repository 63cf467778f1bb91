"""`/api/v1/ai-pages/segments` (≡ `/api/ai-pages/segments/`): the organization's product
segments (named sets of products by project, feed, category or SKUs), with integer ids; a search
with `segment_id` looks only among a segment's products."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, delete, get, patch, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.search.numbers import check_number
from commands.search import segments as handlers
from domain.errors import NotFoundError
from domain.search import segments as rules
from projections.search.segments_queries import SegmentRow, get_segment, list_segments

WAIT_FOR = ("segments",)
SEGMENTS_PATH = "/api/v1/ai-pages/segments"
SEGMENT_PATH = SEGMENTS_PATH + "/{segment_id:int}"
_NAME = Annotated[str, msgspec.Meta(max_length=rules.MAX_NAME_LENGTH * 4)]
_VALUE = Annotated[str, msgspec.Meta(max_length=rules.MAX_VALUE_LENGTH)]
_PROJECTS = Annotated[list[UUID], msgspec.Meta(max_length=rules.MAX_PROJECTS)]
_CATEGORIES = Annotated[list[_VALUE], msgspec.Meta(max_length=rules.MAX_CATEGORIES)]
_SKUS = Annotated[list[_VALUE], msgspec.Meta(max_length=rules.MAX_SKUS)]
_FEEDS = Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=rules.MAX_FEED_NUMBER)]],
                   msgspec.Meta(max_length=rules.MAX_FEEDS)]


class SegmentIn(msgspec.Struct):
    """A product is in the segment when it meets every non-empty criterion."""

    name: _NAME
    project_ids: _PROJECTS = msgspec.field(default_factory=list)
    categories: _CATEGORIES = msgspec.field(default_factory=list)
    skus: _SKUS = msgspec.field(default_factory=list)
    feeds: _FEEDS = msgspec.field(default_factory=list)
    """Ids of the organization's product feeds."""


class SegmentChange(msgspec.Struct):
    """Only the fields given change (an empty list clears a criterion)."""

    name: _NAME | None = None
    project_ids: _PROJECTS | None = None
    categories: _CATEGORIES | None = None
    skus: _SKUS | None = None
    feeds: _FEEDS | None = None


class SegmentOut(msgspec.Struct):
    id: int
    name: str
    project_ids: list[UUID]
    categories: list[str]
    skus: list[str]
    feeds: list[int]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: SegmentRow) -> "SegmentOut":
        return cls(id=row.number, name=row.name, project_ids=list(row.rule.project_ids),
                   categories=list(row.rule.categories), skus=list(row.rule.skus),
                   feeds=list(row.rule.feeds), created_at=row.created_at, updated_at=row.updated_at)


def _tuple(values: list[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


async def _find(services: AppServices, principal: Caller, number: int) -> SegmentOut:
    async with services.pool.connection() as conn:
        row = await get_segment(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("segment not found")
    return SegmentOut.of(row)


@get(SEGMENTS_PATH, operation_id="list_product_segments", tags=["search"],
     summary="List product segments", dependencies=AUTHENTICATED)
async def read_segments(services: AppServices, principal: Caller) -> list[SegmentOut]:
    """The organization's product segments, by id."""
    async with services.pool.connection() as conn:
        return [SegmentOut.of(row) for row in await list_segments(conn, principal.org_id)]


@post(SEGMENTS_PATH, operation_id="create_product_segment", tags=["search"], status_code=201,
      summary="Define a product segment", dependencies=AUTHENTICATED)
async def create_segment(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: SegmentIn,
) -> SegmentOut:
    """Define a segment under the organization's next segment id; 422 when it names no
    project, feed, category or SKU."""
    outcome = await run_command(request, principal, handlers.define_segment,
                                handlers.DefineSegment(
        org_id=principal.org_id, name=data.name, project_ids=tuple(data.project_ids),
        categories=tuple(data.categories), skus=tuple(data.skus), feeds=tuple(data.feeds)),
        wait_for=WAIT_FOR)
    return await _find(services, principal, outcome.result)


@get(SEGMENT_PATH, operation_id="get_product_segment", tags=["search"],
     summary="Get a product segment", dependencies=AUTHENTICATED)
async def read_segment(services: AppServices, principal: Caller, segment_id: int) -> SegmentOut:
    """One segment; 404 when the organization has none by this id."""
    return await _find(services, principal, check_number(segment_id, "segment"))


@patch(SEGMENT_PATH, operation_id="update_product_segment", tags=["search"],
       summary="Update a product segment", dependencies=AUTHENTICATED)
async def update_segment(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, segment_id: int,
    data: SegmentChange,
) -> SegmentOut:
    """Rename a segment or change its criteria; 422 when none would be left."""
    number = check_number(segment_id, "segment")
    await run_command(request, principal, handlers.change_segment, handlers.ChangeSegment(
        org_id=principal.org_id, number=number, name=data.name,
        project_ids=_tuple(data.project_ids), categories=_tuple(data.categories),
        skus=_tuple(data.skus), feeds=_tuple(data.feeds)), wait_for=WAIT_FOR)
    return await _find(services, principal, number)


@delete(SEGMENT_PATH, operation_id="delete_product_segment", tags=["search"],
        summary="Delete a product segment", dependencies=AUTHENTICATED)
async def delete_segment(request: Request[Any, Any, Any], principal: Caller,
                         segment_id: int) -> None:
    """Delete a segment; its id is not given out again."""
    await run_command(request, principal, handlers.delete_segment, handlers.DeleteSegment(
        org_id=principal.org_id, number=check_number(segment_id, "segment")), wait_for=WAIT_FOR)


ROUTES = [read_segments, create_segment, read_segment, update_segment, delete_segment]

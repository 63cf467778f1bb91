"""`/api/v1/ai-pages/feeds` (≡ `/api/ai-pages/feeds/`): the organization's external product
feeds (a JSON or XML URL and a `field_map`), with integer ids; `…/feeds/<id>/sync/` queues a
`feed.sync` job that reads the feed into the product index (202; follow it at
`/api/v1/jobs/<job_id>`)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, patch, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.search.numbers import check_number
from commands.search import feeds as handlers
from domain.errors import NotFoundError
from domain.search import feeds as rules
from projections.search.feeds_queries import FeedRow, get_feed, list_feeds

WAIT_FOR = ("segments",)
FEEDS_PATH = "/api/v1/ai-pages/feeds"
FEED_PATH = FEEDS_PATH + "/{feed_id:int}"
_NAME = Annotated[str, msgspec.Meta(max_length=rules.MAX_NAME_LENGTH * 4)]
_URL = Annotated[str, msgspec.Meta(max_length=rules.MAX_URL_LENGTH * 2)]
_FORMAT = Annotated[str, msgspec.Meta(max_length=20)]
_FIELD = Annotated[str, msgspec.Meta(max_length=rules.MAX_SOURCE_FIELD_LENGTH)]
_MAP = Annotated[dict[_FIELD, _FIELD], msgspec.Meta(max_length=rules.MAX_FIELD_MAP)]


class FeedIn(msgspec.Struct):
    name: _NAME
    url: _URL
    format: _FORMAT
    field_map: _MAP = msgspec.field(default_factory=dict)
    """Source field → canonical field (sku, name, description, price, category, image_url,
    url)."""


class FeedChange(msgspec.Struct):
    """Only the fields given change."""

    name: _NAME | None = None
    url: _URL | None = None
    format: _FORMAT | None = None
    field_map: _MAP | None = None


class FeedOut(msgspec.Struct):
    id: int
    name: str
    url: str
    format: str
    field_map: dict[str, str]
    product_count: int
    last_sync_status: str | None
    """`succeeded` or `failed` after a sync; None before the first."""
    last_sync_error: str | None
    last_sync_job_id: UUID | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: FeedRow) -> "FeedOut":
        return cls(id=row.number, name=row.name, url=row.url, format=row.format,
                   field_map=row.field_map, product_count=row.product_count,
                   last_sync_status=row.last_status, last_sync_error=row.last_error,
                   last_sync_job_id=row.last_job_id, last_synced_at=row.last_synced_at,
                   created_at=row.created_at, updated_at=row.updated_at)


class SyncQueued(msgspec.Struct):
    job_id: UUID
    status: str


async def _find(services: AppServices, principal: Caller, number: int) -> FeedOut:
    async with services.pool.connection() as conn:
        row = await get_feed(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("feed not found")
    return FeedOut.of(row)


@get(FEEDS_PATH, operation_id="list_product_feeds", tags=["search"],
     summary="List product feeds", dependencies=AUTHENTICATED)
async def read_feeds(services: AppServices, principal: Caller) -> list[FeedOut]:
    """The organization's external product feeds, by id."""
    async with services.pool.connection() as conn:
        return [FeedOut.of(row) for row in await list_feeds(conn, principal.org_id)]


@post(FEEDS_PATH, operation_id="create_product_feed", tags=["search"], status_code=201,
      summary="Create a product feed", dependencies=AUTHENTICATED)
async def create_feed(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: FeedIn,
) -> FeedOut:
    """Define a feed under the organization's next feed id; 422 for a URL that is not http(s)
    or holds credentials, a format other than json or xml, or a field_map naming a field
    that is not canonical."""
    outcome = await run_command(request, principal, handlers.create_feed, handlers.CreateFeed(
        org_id=principal.org_id, name=data.name, url=data.url, format=data.format,
        field_map=data.field_map), wait_for=WAIT_FOR)
    return await _find(services, principal, outcome.result)


@get(FEED_PATH, operation_id="get_product_feed", tags=["search"],
     summary="Get a product feed", dependencies=AUTHENTICATED)
async def read_feed(services: AppServices, principal: Caller, feed_id: int) -> FeedOut:
    """One feed and how its last sync went; 404 when the organization has none by this id."""
    return await _find(services, principal, check_number(feed_id, "feed"))


@patch(FEED_PATH, operation_id="update_product_feed", tags=["search"],
       summary="Update a product feed", dependencies=AUTHENTICATED)
async def update_feed(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, feed_id: int,
    data: FeedChange,
) -> FeedOut:
    """Rename a feed or change its URL, format or field map (its products change at the
    next sync)."""
    number = check_number(feed_id, "feed")
    await run_command(request, principal, handlers.change_feed, handlers.ChangeFeed(
        org_id=principal.org_id, number=number, name=data.name, url=data.url,
        format=data.format, field_map=data.field_map), wait_for=WAIT_FOR)
    return await _find(services, principal, number)


@delete(FEED_PATH, operation_id="delete_product_feed", tags=["search"],
        summary="Delete a product feed", dependencies=AUTHENTICATED)
async def delete_feed(request: Request[Any, Any, Any], principal: Caller, feed_id: int) -> None:
    """Delete a feed; its products leave search, and its id is not given out again."""
    await run_command(request, principal, handlers.delete_feed, handlers.DeleteFeed(
        org_id=principal.org_id, number=check_number(feed_id, "feed")),
        wait_for=(*WAIT_FOR, "search"))


@post(FEED_PATH + "/sync", operation_id="sync_product_feed", tags=["search"], status_code=202,
      summary="Sync a product feed", dependencies=AUTHENTICATED)
async def sync_feed(request: Request[Any, Any, Any], principal: Caller,
                    feed_id: int) -> SyncQueued:
    """Queue a job that fetches the feed and upserts its products into the index (new,
    changed, removed); 409 while a sync of this feed runs."""
    job_id = uuid4()
    await run_command(request, principal, handlers.start_feed_sync, handlers.StartFeedSync(
        org_id=principal.org_id, number=check_number(feed_id, "feed"), job_id=job_id,
        created_by=principal.user_id), wait_for=("jobs",))
    return SyncQueued(job_id=job_id, status="queued")


ROUTES = [read_feeds, create_feed, read_feed, update_feed, delete_feed, sync_feed]

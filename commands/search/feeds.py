"""Search commands on external product feeds, numbered per organization: define, change,
delete, start a sync (a `feed.sync` job, one at a time per feed) and record what a sync read
or why it could not."""

import dataclasses
from collections.abc import Mapping, Sequence
from uuid import UUID

from commands.jobs.lifecycle import CreateJob, create_job
from commands.unit_of_work import UnitOfWork
from domain.search.feed_products import FeedProduct
from domain.search.feeds import FEED_KIND, Feed, SyncDiff
from domain.search.numbering import NumberCounter, counter_id, numbered_id

SYNC_KIND = "feed.sync"
SYNC_CONFLICTS = frozenset({SYNC_KIND})


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateFeed:
    org_id: UUID
    name: str
    url: str
    format: str
    field_map: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeFeed:
    """`None`: leave as it is."""

    org_id: UUID
    number: int
    name: str | None = None
    url: str | None = None
    format: str | None = None
    field_map: Mapping[str, str] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteFeed:
    org_id: UUID
    number: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartFeedSync:
    org_id: UUID
    number: int
    job_id: UUID
    created_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordFeedSync:
    org_id: UUID
    number: int
    job_id: UUID
    products: Sequence[FeedProduct]
    skipped: int = 0


@dataclasses.dataclass(frozen=True, kw_only=True)
class FailFeedSync:
    org_id: UUID
    number: int
    job_id: UUID
    reason: str


def feed_id(org_id: UUID, number: int) -> UUID:
    """The aggregate id of the organization's feed `number` (also its products' source)."""
    return numbered_id(org_id, FEED_KIND, number)


def create_feed(uow: UnitOfWork, cmd: CreateFeed) -> int:
    """Define a feed under the organization's next feed number; returns the number."""
    counter = uow.get(NumberCounter, counter_id(cmd.org_id, FEED_KIND))
    number = counter.allocate(cmd.org_id, FEED_KIND)
    uow.get(Feed, feed_id(cmd.org_id, number)).create(
        org_id=cmd.org_id, number=number, name=cmd.name, url=cmd.url, feed_format=cmd.format,
        field_map=cmd.field_map)
    return number


def change_feed(uow: UnitOfWork, cmd: ChangeFeed) -> None:
    """Rename it or point it elsewhere; NotFoundError when the organization has no such feed."""
    uow.get(Feed, feed_id(cmd.org_id, cmd.number)).change(
        cmd.org_id, name=cmd.name, url=cmd.url, feed_format=cmd.format, field_map=cmd.field_map)


def delete_feed(uow: UnitOfWork, cmd: DeleteFeed) -> None:
    """Delete the feed; its products leave the index with it."""
    uow.get(Feed, feed_id(cmd.org_id, cmd.number)).delete(cmd.org_id)


def start_feed_sync(uow: UnitOfWork, cmd: StartFeedSync) -> UUID:
    """Queue a `feed.sync` job for the feed (its job slot is the feed's: 409 while one runs);
    NotFoundError when the organization has no such feed. Returns the job's id."""
    aggregate_id = feed_id(cmd.org_id, cmd.number)
    uow.get(Feed, aggregate_id).check_is_live(cmd.org_id)
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=aggregate_id, job_id=cmd.job_id, kind=SYNC_KIND,
        parameters={"feed": cmd.number}, conflicts=SYNC_CONFLICTS, created_by=cmd.created_by))
    return cmd.job_id


def record_feed_sync(uow: UnitOfWork, cmd: RecordFeedSync) -> SyncDiff:
    """What the feed lists now: new and changed products, and the ones it no longer lists."""
    feed = uow.get(Feed, feed_id(cmd.org_id, cmd.number))
    return feed.sync(cmd.org_id, job_id=cmd.job_id, products=cmd.products, skipped=cmd.skipped)


def fail_feed_sync(uow: UnitOfWork, cmd: FailFeedSync) -> None:
    """The sync could not read the feed; its products stay as the last good sync left them."""
    feed = uow.get(Feed, feed_id(cmd.org_id, cmd.number))
    feed.fail_sync(cmd.org_id, job_id=cmd.job_id, reason=cmd.reason)

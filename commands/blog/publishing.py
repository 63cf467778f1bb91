"""Blog commands around WordPress: schedule and unschedule a post, and the records a publish
or an unpublish leaves — its attempt (before WordPress is called), its outcome, its failure.
The calls to WordPress themselves are `commands.blog.publisher`'s."""

import dataclasses
from datetime import datetime
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.blog.connection import BlogConnection
from domain.blog.post import BlogPost
from domain.errors import InvalidCommandError


@dataclasses.dataclass(frozen=True, kw_only=True)
class SchedulePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID
    scheduled_at: datetime
    now: datetime
    connection_id: UUID
    wp_status: str = "publish"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UnschedulePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartPublish:
    """`project_id` None: the scheduler's, which knows the post alone."""

    org_id: UUID
    project_id: UUID | None
    post_id: UUID
    connection_id: UUID
    wp_status: str
    scheduled: bool
    now: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class GiveUpSchedule:
    org_id: UUID
    post_id: UUID
    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class PublishPlan:
    """What one attempt sends, and where."""

    post_id: UUID
    project_id: UUID
    connection_id: UUID
    wp_status: str
    may_exist: bool
    """An earlier attempt may have made the post without our knowing: look for it first."""
    wp_post_id: int | None
    title: str
    content: str
    excerpt: str
    slug: str
    categories: tuple[int, ...]
    featured_image_url: str | None
    attempt: int
    failures: int
    """Failed scheduled attempts in a row before this one."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordPublished:
    org_id: UUID
    post_id: UUID
    connection_id: UUID
    wp_post_id: int
    published_url: str
    wp_status: str
    published_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordPublishFailure:
    """`retry_at`: a scheduled publish tried again then; `gave_up`: a scheduled one given up."""

    org_id: UUID
    post_id: UUID
    reason: str
    retry_at: datetime | None = None
    gave_up: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostRef:
    org_id: UUID
    project_id: UUID
    post_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class UnpublishPlan:
    connection_id: UUID
    site_url: str
    username: str
    wp_post_id: int


def _post(uow: UnitOfWork, org_id: UUID, project_id: UUID | None, post_id: UUID) -> BlogPost:
    post = uow.get(BlogPost, post_id)
    if project_id is None:
        post.check_is_live(org_id)
    else:
        post.check_belongs_to(org_id, project_id)
    return post


def live_connection(uow: UnitOfWork, org_id: UUID, connection_id: UUID) -> BlogConnection:
    """The organization's connection; 404 when it has none such, 422 when it is switched off."""
    connection = uow.get(BlogConnection, connection_id)
    connection.check_is_live(org_id)
    if not connection.is_active:
        raise InvalidCommandError("the blog connection is not active")
    return connection


def schedule_post(uow: UnitOfWork, cmd: SchedulePost) -> None:
    post = _post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    live_connection(uow, cmd.org_id, cmd.connection_id)
    post.schedule(cmd.org_id, scheduled_at=cmd.scheduled_at, now=cmd.now,
                  connection_id=cmd.connection_id, wp_status=cmd.wp_status)


def unschedule_post(uow: UnitOfWork, cmd: UnschedulePost) -> None:
    _post(uow, cmd.org_id, cmd.project_id, cmd.post_id).unschedule(cmd.org_id)


def start_publish(uow: UnitOfWork, cmd: StartPublish) -> PublishPlan:
    """Record the attempt and answer what to send: ConflictError when the post may not be
    published now (a scheduled one no longer due, one being generated). The connection was
    checked by the caller, from the read model: loading it here would make every publish
    through one connection wait for the others' (its aggregate lock)."""
    post = _post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    wp_status = (post.schedule_wp_status or "publish") if cmd.scheduled else cmd.wp_status
    failures = post.publish_failures
    may_exist = post.start_publish(cmd.org_id, connection_id=cmd.connection_id,
                                   wp_status=wp_status, scheduled=cmd.scheduled, now=cmd.now)
    assert post.project_id is not None
    return PublishPlan(
        post_id=post.id, project_id=post.project_id, connection_id=cmd.connection_id,
        wp_status=post.attempt_wp_status, may_exist=may_exist,
        wp_post_id=post.wp_post_id if post.connection_id == cmd.connection_id else None,
        title=post.text["title"], content=post.text["content"], excerpt=post.text["excerpt"],
        slug=post.slug, categories=post.wp_category_ids,
        featured_image_url=post.featured_image_url, attempt=post.publish_attempts,
        failures=failures)


def give_up_schedule(uow: UnitOfWork, cmd: GiveUpSchedule) -> None:
    """A scheduled publish that cannot be made (its connection is gone or switched off)."""
    uow.get(BlogPost, cmd.post_id).give_up_schedule(cmd.org_id, cmd.reason)


def record_published(uow: UnitOfWork, cmd: RecordPublished) -> None:
    post = uow.get(BlogPost, cmd.post_id)
    post.record_published(cmd.org_id, connection_id=cmd.connection_id,
                          wp_post_id=cmd.wp_post_id, published_url=cmd.published_url,
                          wp_status=cmd.wp_status, published_at=cmd.published_at)


def record_publish_failure(uow: UnitOfWork, cmd: RecordPublishFailure) -> None:
    post = uow.get(BlogPost, cmd.post_id)
    post.record_publish_failure(cmd.org_id, cmd.reason, retry_at=cmd.retry_at,
                                gave_up=cmd.gave_up)


def plan_unpublish(uow: UnitOfWork, cmd: PostRef) -> UnpublishPlan:
    """Where the post is on WordPress; ConflictError when it is not published."""
    post = _post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    post.check_can_unpublish()
    assert post.connection_id is not None and post.wp_post_id is not None
    connection = uow.get(BlogConnection, post.connection_id)
    connection.check_is_live(cmd.org_id)
    return UnpublishPlan(connection_id=post.connection_id, site_url=connection.site_url,
                         username=connection.username, wp_post_id=post.wp_post_id)


def record_unpublished(uow: UnitOfWork, cmd: PostRef) -> None:
    _post(uow, cmd.org_id, cmd.project_id, cmd.post_id).record_unpublished(cmd.org_id)

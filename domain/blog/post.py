"""A blog post of a project: asked for (type, topic, products), written by a generation job,
edited by a reviewer (each change of its text is a version), then published to WordPress,
scheduled, unpublished. Its slug is unique in the project (see `post_slugs`)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.blog.events import (
    BlogPostChanged,
    BlogPostCreated,
    BlogPostDeleted,
    BlogPostGenerated,
    BlogPostGenerationFailed,
    BlogPostGenerationStarted,
    BlogPostPublished,
    BlogPostPublishFailed,
    BlogPostPublishStarted,
    BlogPostScheduled,
    BlogPostUnpublished,
    BlogPostUnscheduled,
)
from domain.errors import ConflictError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent

GENERATING = "generating"
GENERATION_FAILED = "generation_failed"
DRAFT = "draft"
REVIEW = "review"
APPROVED = "approved"
SCHEDULED = "scheduled"
PUBLISHED = "published"
PUBLISH_FAILED = "publish_failed"
STATUSES = (GENERATING, GENERATION_FAILED, DRAFT, REVIEW, APPROVED, SCHEDULED, PUBLISHED,
            PUBLISH_FAILED)
EDITABLE_STATUSES = (DRAFT, REVIEW, APPROVED)
"""What a reviewer may set; the others follow from generation and publishing."""
PUBLISHABLE = (DRAFT, REVIEW, APPROVED, SCHEDULED, PUBLISH_FAILED)
POST_TYPES = ("product_roundup", "buying_guide", "how_to", "comparison", "announcement")
WP_STATUSES = ("publish", "draft", "pending", "private", "future")
PUBLISH_WP_STATUSES = ("publish", "draft", "pending", "private")
"""What copydesk asks WordPress for: never `future`, since copydesk's schedule is the truth."""

MAX_TOPIC = 500
MAX_TITLE = 300
MAX_CONTENT = 200_000
MAX_EXCERPT = 2000
MAX_SOURCE_ITEMS = 50
MAX_CATEGORIES = 100
MAX_REASON = 2000
TEXT_FIELDS = ("title", "content", "excerpt", "seo_meta")
"""A change of one of these is a new version of the post's text."""


def check_post_type(post_type: str) -> str:
    if post_type not in POST_TYPES:
        raise InvalidCommandError(f"post_type must be one of {', '.join(POST_TYPES)}")
    return post_type


def check_topic(topic: str) -> str:
    cleaned = " ".join(topic.split())
    if not 1 <= len(cleaned) <= MAX_TOPIC:
        raise InvalidCommandError(f"topic must be 1 to {MAX_TOPIC} characters")
    return cleaned


def check_category_ids(ids: tuple[int, ...]) -> tuple[int, ...]:
    if len(ids) > MAX_CATEGORIES or any(i < 1 for i in ids):
        raise InvalidCommandError(
            f"wp_category_ids must be at most {MAX_CATEGORIES} positive WordPress category ids")
    return tuple(dict.fromkeys(ids))


def check_wp_status(wp_status: str) -> str:
    if wp_status not in WP_STATUSES:
        raise InvalidCommandError(f"wp_status must be one of {', '.join(WP_STATUSES)}")
    return wp_status


def check_image_url(url: str | None) -> str | None:
    if url is not None and (len(url) > 2000 or not url.startswith(("https://", "http://"))):
        raise InvalidCommandError("featured_image_url must be an http:// or https:// URL")
    return url


def check_publish_wp_status(wp_status: str) -> str:
    if wp_status not in PUBLISH_WP_STATUSES:
        raise InvalidCommandError(
            f"wp_status must be one of {', '.join(PUBLISH_WP_STATUSES)}")
    return wp_status


def _length(value: str, field: str, high: int) -> str:
    if len(value) > high:
        raise InvalidCommandError(f"{field} must be at most {high} characters")
    return value


class BlogPost(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.project_id: UUID | None = None
        self.live = False
        self.status = GENERATING
        self.post_type = ""
        self.topic = ""
        self.source_item_ids: tuple[str, ...] = ()
        self.wp_category_ids: tuple[int, ...] = ()
        self.template_id: UUID | None = None
        self.ai_settings: dict[str, Any] = {}
        self.job_id: UUID | None = None
        self.text: dict[str, Any] = {"title": "", "content": "", "excerpt": "", "seo_meta": {}}
        self.slug = ""
        self.featured_image_url: str | None = None
        self.product_links: dict[str, Any] = {}
        self.content_version = 0
        self.wp_post_id: int | None = None
        self.scheduled_at: datetime | None = None
        self.connection_id: UUID | None = None
        self.schedule_connection_id: UUID | None = None
        self.schedule_wp_status: str | None = None
        self.retry_at: datetime | None = None
        self.publish_attempts = 0
        self.publish_failures = 0
        self.attempt_open = False
        self.attempt_scheduled = False
        self.attempt_wp_status = "publish"
        self.attempt_connection_id: UUID | None = None

    # -- asking for it and writing it ---------------------------------------------------------

    def create(self, *, org_id: UUID, project_id: UUID, post_type: str, topic: str,
               source_item_ids: tuple[str, ...], wp_category_ids: tuple[int, ...],
               template_id: UUID | None, ai_settings: dict[str, Any], job_id: UUID) -> None:
        if self.exists:
            raise ConflictError("the blog post exists already")
        if len(source_item_ids) > MAX_SOURCE_ITEMS:
            raise InvalidCommandError(f"source_item_ids may name at most {MAX_SOURCE_ITEMS} items")
        self._record(BlogPostCreated(
            org_id=org_id, project_id=project_id, post_type=check_post_type(post_type),
            post_topic=check_topic(topic), source_item_ids=tuple(dict.fromkeys(source_item_ids)),
            wp_category_ids=check_category_ids(wp_category_ids), template_id=template_id,
            ai_settings=ai_settings, job_id=job_id))

    def start_regeneration(self, org_id: UUID, job_id: UUID) -> None:
        self.check_is_live(org_id)
        if self.status == GENERATING:
            raise ConflictError("the blog post is being generated already")
        if self.status in (SCHEDULED, PUBLISHED):
            raise ConflictError(f"a {self.status} blog post is not regenerated:"
                                " unschedule or unpublish it first")
        self._record(BlogPostGenerationStarted(org_id=org_id, job_id=job_id))

    def record_generation(self, org_id: UUID, *, job_id: UUID, title: str, content: str,
                          excerpt: str, slug: str, seo_meta: dict[str, Any],
                          product_links: dict[str, Any], provider: str, model: str,
                          confidence_score: float, issues: tuple[str, ...]) -> None:
        self.check_is_live(org_id)
        self.check_generation_is(job_id)
        self._record(BlogPostGenerated(
            org_id=org_id, job_id=job_id, title=title[:MAX_TITLE], content=content[:MAX_CONTENT],
            excerpt=excerpt[:MAX_EXCERPT], slug=slug, seo_meta=seo_meta,
            product_links=product_links, provider=provider, model=model,
            confidence_score=confidence_score, issues=issues,
            content_version=self.content_version + 1))

    def record_generation_failure(self, org_id: UUID, job_id: UUID, reason: str) -> None:
        self.check_is_live(org_id)
        self.check_generation_is(job_id)
        self._record(BlogPostGenerationFailed(org_id=org_id, job_id=job_id,
                                                reason=reason[:MAX_REASON]))

    def check_generation_is(self, job_id: UUID) -> None:
        if self.status != GENERATING or self.job_id != job_id:
            raise ConflictError("the blog post is not being generated by this job")

    # -- the reviewer's edits -----------------------------------------------------------------

    def change(self, org_id: UUID, changes: dict[str, Any]) -> bool:
        """Apply the fields given (already checked and sanitised by their type); a change of
        the text is a new version. False when nothing changes."""
        self.check_is_live(org_id)
        if self.status == GENERATING:
            raise ConflictError("the blog post is being generated: edit it once it is written")
        status = changes.get("status") or self.status
        if status != self.status and status not in EDITABLE_STATUSES:
            raise InvalidCommandError(
                f"status may be set to {', '.join(EDITABLE_STATUSES)}; publishing and"
                " scheduling have their own routes")
        before = self._editable()
        after = {**before, **{k: v for k, v in changes.items() if k in before and v is not None},
                 "status": status}
        after["title"] = _length(after["title"], "title", MAX_TITLE)
        after["content"] = _length(after["content"], "content", MAX_CONTENT)
        after["excerpt"] = _length(after["excerpt"], "excerpt", MAX_EXCERPT)
        after["topic"] = check_topic(after["topic"])
        after["featured_image_url"] = check_image_url(after["featured_image_url"])
        after["wp_category_ids"] = check_category_ids(tuple(after["wp_category_ids"]))
        after["source_item_ids"] = tuple(dict.fromkeys(after["source_item_ids"]))
        if after == before:
            return False
        text_changed = any(after[f] != before[f] for f in TEXT_FIELDS)
        fields = {("post_topic" if k == "topic" else k): v for k, v in after.items()}
        self._record(BlogPostChanged(
            org_id=org_id, content_version=self.content_version + 1 if text_changed else 0,
            **fields))
        return True

    def _editable(self) -> dict[str, Any]:
        return {**self.text, "slug": self.slug, "status": self.status, "topic": self.topic,
                "featured_image_url": self.featured_image_url,
                "wp_category_ids": self.wp_category_ids, "source_item_ids": self.source_item_ids,
                "product_links": self.product_links}

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(BlogPostDeleted(org_id=org_id))

    # -- publishing (the WordPress side records its outcome here) -----------------------------

    def record_published(self, org_id: UUID, *, connection_id: UUID, wp_post_id: int,
                         published_url: str, wp_status: str, published_at: datetime) -> None:
        self.check_is_live(org_id)
        self.check_status_in((*PUBLISHABLE, PUBLISHED), "published")
        self._record(BlogPostPublished(
            org_id=org_id, connection_id=connection_id, wp_post_id=wp_post_id,
            published_url=published_url, wp_status=check_wp_status(wp_status),
            published_at=published_at))

    def start_publish(self, org_id: UUID, *, connection_id: UUID, wp_status: str,
                      scheduled: bool, now: datetime) -> bool:
        """Record an attempt before WordPress is called; True when an earlier attempt to this
        connection may have made the WordPress post without our knowing (look it up first).
        The caller holds the post's lock: an attempt still open is a dead process's."""
        self.check_is_live(org_id)
        if scheduled:
            due = self.retry_at or self.scheduled_at
            if self.status != SCHEDULED or due is None or due > now:
                raise ConflictError("the blog post is no longer due to be published")
        else:
            self.check_status_in((*PUBLISHABLE, PUBLISHED), "published")
        known = self.wp_post_id is not None and self.connection_id == connection_id
        may_exist = not known and self.publish_attempts > 0
        self._record(BlogPostPublishStarted(
            org_id=org_id, connection_id=connection_id,
            wp_status=check_publish_wp_status(wp_status), attempt=self.publish_attempts + 1,
            scheduled=scheduled))
        return may_exist

    def give_up_schedule(self, org_id: UUID, reason: str) -> None:
        """A scheduled publish that cannot be attempted (its connection is gone)."""
        self.check_is_live(org_id)
        self.check_status_in((SCHEDULED,), "given up")
        self._record(BlogPostPublishFailed(org_id=org_id, reason=reason[:MAX_REASON],
                                             attempts=self.publish_failures + 1, gave_up=True))

    def check_can_unpublish(self) -> None:
        self.check_status_in((PUBLISHED,), "unpublished")
        if self.wp_post_id is None or self.connection_id is None:
            raise ConflictError("the blog post was never published to WordPress")

    def record_unpublished(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self.check_status_in((PUBLISHED,), "unpublished")
        self._record(BlogPostUnpublished(org_id=org_id))

    def schedule(self, org_id: UUID, *, scheduled_at: datetime, now: datetime,
                 connection_id: UUID, wp_status: str = "publish") -> None:
        self.check_is_live(org_id)
        self.check_status_in(PUBLISHABLE, "scheduled")
        if scheduled_at.tzinfo is None:
            raise InvalidCommandError("scheduled_at must carry a time zone (e.g. Z)")
        if scheduled_at <= now:
            raise InvalidCommandError("scheduled_at must be in the future")
        self._record(BlogPostScheduled(org_id=org_id, scheduled_at=scheduled_at,
                                         connection_id=connection_id,
                                         wp_status=check_publish_wp_status(wp_status)))

    def unschedule(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self.check_status_in((SCHEDULED, PUBLISH_FAILED), "unscheduled")
        self._record(BlogPostUnscheduled(org_id=org_id))

    def record_publish_failure(self, org_id: UUID, reason: str, *,
                               retry_at: datetime | None = None, gave_up: bool = False) -> None:
        """The open attempt failed: tried again at `retry_at` (scheduled only), given up, or
        (a request's) left to the caller, the post as it was."""
        self.check_is_live(org_id)
        if not self.attempt_open:
            raise ConflictError("no publish attempt of this blog post is under way")
        scheduled = self.attempt_scheduled
        self._record(BlogPostPublishFailed(
            org_id=org_id, reason=reason[:MAX_REASON], attempts=self.publish_failures + 1,
            retry_at=retry_at if scheduled else None, gave_up=gave_up and scheduled))

    # -- rules ---------------------------------------------------------------------------------

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("blog post not found")

    def check_belongs_to(self, org_id: UUID, project_id: UUID) -> None:
        self.check_is_live(org_id)
        if self.project_id != project_id:
            raise NotFoundError("blog post not found")

    def check_status_in(self, statuses: tuple[str, ...], what: str) -> None:
        if self.status not in statuses:
            raise ConflictError(f"a {self.status} blog post cannot be {what}")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case BlogPostCreated():
                self.org_id, self.project_id, self.live = event.org_id, event.project_id, True
                self.post_type, self.topic = event.post_type, event.post_topic
                self.source_item_ids = tuple(event.source_item_ids)
                self.wp_category_ids = tuple(event.wp_category_ids)
                self.template_id, self.ai_settings = event.template_id, dict(event.ai_settings)
                self.job_id, self.status = event.job_id, GENERATING
            case BlogPostGenerationStarted():
                self.job_id, self.status = event.job_id, GENERATING
            case BlogPostGenerated():
                self.text = {"title": event.title, "content": event.content,
                             "excerpt": event.excerpt, "seo_meta": dict(event.seo_meta)}
                self.slug, self.product_links = event.slug, dict(event.product_links)
                self.content_version, self.status = event.content_version, DRAFT
            case BlogPostGenerationFailed():
                self.status = GENERATION_FAILED
            case BlogPostChanged():
                self.text = {"title": event.title, "content": event.content,
                             "excerpt": event.excerpt, "seo_meta": dict(event.seo_meta)}
                self.slug, self.status, self.topic = event.slug, event.status, event.post_topic
                self.featured_image_url = event.featured_image_url
                self.wp_category_ids = tuple(event.wp_category_ids)
                self.source_item_ids = tuple(event.source_item_ids)
                self.product_links = dict(event.product_links)
                if event.content_version:
                    self.content_version = event.content_version
            case BlogPostDeleted():
                self.live = False
            case BlogPostPublishStarted():
                self.publish_attempts, self.attempt_open = event.attempt, True
                self.attempt_scheduled, self.attempt_wp_status = event.scheduled, event.wp_status
                self.attempt_connection_id = event.connection_id
            case BlogPostPublishFailed():
                self.attempt_open, self.publish_failures = False, event.attempts
                self.retry_at = event.retry_at
                if event.gave_up:
                    self.status = PUBLISH_FAILED
            case BlogPostPublished():
                self.status, self.wp_post_id = PUBLISHED, event.wp_post_id
                self.connection_id, self.attempt_open = event.connection_id, False
                self.publish_failures, self.retry_at = 0, None
            case BlogPostUnpublished():
                self.status = DRAFT
            case BlogPostUnscheduled():
                self.status, self.scheduled_at = DRAFT, None
                self.retry_at, self.publish_failures = None, 0
            case BlogPostScheduled():
                self.status, self.scheduled_at = SCHEDULED, event.scheduled_at
                self.schedule_connection_id = event.connection_id
                self.schedule_wp_status = event.wp_status
                self.retry_at, self.publish_failures = None, 0
            case _:
                pass

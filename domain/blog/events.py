"""What happens in the blog context: an organization's WordPress connections, its blog
templates and its blog posts. A connection's application password is never in an event:
only its keyed fingerprint (the sealed password is kept beside the events)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.events import DomainEvent


class BlogEvent(DomainEvent):
    """The base of every blog event: its topic in the log is `blog.<ClassName>`."""

    context = "blog"


class BlogConnectionCreated(BlogEvent):
    name: str
    site_url: str
    username: str
    password_fingerprint: str


class BlogConnectionChanged(BlogEvent):
    """The whole connection after a change."""

    name: str
    site_url: str
    username: str
    password_fingerprint: str
    is_active: bool


class BlogConnectionDeleted(BlogEvent):
    pass


class BlogCategoriesCached(BlogEvent):
    """The site's categories as last fetched."""

    categories: tuple[dict[str, Any], ...]


class BlogTemplateCreated(BlogEvent):
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool


class BlogTemplateChanged(BlogEvent):
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool


class BlogTemplateDeleted(BlogEvent):
    pass


# -- blog posts ----------------------------------------------------------------------------


class BlogPostCreated(BlogEvent):
    """A post asked for: what to write it from. Its text comes with BlogPostGenerated."""

    project_id: UUID
    post_type: str
    post_topic: str
    """The post's `topic` (named apart from the event's own `topic()`)."""
    source_item_ids: tuple[str, ...]
    wp_category_ids: tuple[int, ...]
    template_id: UUID | None
    ai_settings: dict[str, Any]
    job_id: UUID


class BlogPostGenerationStarted(BlogEvent):
    """A regeneration was asked for: the text so far stays as a version."""

    job_id: UUID


class BlogPostGenerated(BlogEvent):
    """What the writer wrote; `content_version` numbers it among the post's versions."""

    job_id: UUID
    title: str
    content: str
    excerpt: str
    slug: str
    seo_meta: dict[str, Any]
    product_links: dict[str, Any]
    provider: str
    model: str
    confidence_score: float
    issues: tuple[str, ...]
    content_version: int


class BlogPostGenerationFailed(BlogEvent):
    job_id: UUID
    reason: str


class BlogPostChanged(BlogEvent):
    """The whole editable part of the post after a reviewer's change; `content_version` is
    the new version's number when title, content, excerpt or SEO metadata changed, else 0."""

    title: str
    content: str
    excerpt: str
    slug: str
    status: str
    post_topic: str
    featured_image_url: str | None
    seo_meta: dict[str, Any]
    wp_category_ids: tuple[int, ...]
    source_item_ids: tuple[str, ...]
    product_links: dict[str, Any]
    content_version: int


class BlogPostDeleted(BlogEvent):
    pass


class BlogPostPublished(BlogEvent):
    connection_id: UUID
    wp_post_id: int
    published_url: str
    wp_status: str
    published_at: datetime


class BlogPostUnpublished(BlogEvent):
    """Back to draft on WordPress and here; the WordPress post id is kept (publish again
    updates that post)."""


class BlogPostScheduled(BlogEvent):
    scheduled_at: datetime
    connection_id: UUID
    wp_status: str


class BlogPostUnscheduled(BlogEvent):
    pass


class BlogPostPublishStarted(BlogEvent):
    """Recorded before WordPress is called: an attempt whose outcome is never recorded may
    have made the WordPress post, so the next attempt looks for it before creating one."""

    connection_id: UUID
    wp_status: str
    attempt: int
    scheduled: bool


class BlogPostPublishFailed(BlogEvent):
    """`attempts`: failed in a row; `retry_at`: a scheduled publish tried again then;
    `gave_up`: a scheduled publish given up (the post is `publish_failed`)."""

    reason: str
    attempts: int
    retry_at: datetime | None = None
    gave_up: bool = False


class BlogSlugClaimed(BlogEvent):
    """On a project's slug directory: `slug` is the post's."""

    post_id: UUID
    slug: str


class BlogSlugReleased(BlogEvent):
    post_id: UUID
    slug: str

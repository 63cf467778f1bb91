"""Request and response bodies of `/api/v1/projects/{id}/blog-posts` (as seed 001 shows them)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from domain.blog.post import MAX_CATEGORIES, MAX_CONTENT, MAX_EXCERPT, MAX_SOURCE_ITEMS, MAX_TITLE, MAX_TOPIC
from domain.blog.post_slugs import MAX_SLUG
from projections.blog.post_queries import PostRow

_TOPIC = Annotated[str, msgspec.Meta(max_length=MAX_TOPIC * 2)]
_ITEM_IDS = Annotated[list[UUID], msgspec.Meta(max_length=MAX_SOURCE_ITEMS * 2)]
_CATEGORY_IDS = Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=2**53)]],
                          msgspec.Meta(max_length=MAX_CATEGORIES)]
_SETTINGS = Annotated[dict[str, Any], msgspec.Meta(max_length=50)]
_MAP = Annotated[dict[str, Any], msgspec.Meta(max_length=200)]
_URL = Annotated[str, msgspec.Meta(max_length=2000)]


class PostIn(msgspec.Struct):
    post_type: Annotated[str, msgspec.Meta(max_length=50)]
    topic: _TOPIC
    source_item_ids: _ITEM_IDS = msgspec.field(default_factory=list)
    wp_category_ids: _CATEGORY_IDS = msgspec.field(default_factory=list)
    template_id: UUID | None = None
    ai_settings: _SETTINGS = msgspec.field(default_factory=dict)


class PostChange(msgspec.Struct):
    """Only the fields given change."""

    title: Annotated[str, msgspec.Meta(max_length=MAX_TITLE * 2)] | None = None
    content: Annotated[str, msgspec.Meta(max_length=MAX_CONTENT)] | None = None
    excerpt: Annotated[str, msgspec.Meta(max_length=MAX_EXCERPT * 2)] | None = None
    slug: Annotated[str, msgspec.Meta(max_length=MAX_SLUG * 2)] | None = None
    status: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    topic: _TOPIC | None = None
    featured_image_url: _URL | None = None
    seo_meta: _MAP | None = None
    wp_category_ids: _CATEGORY_IDS | None = None
    source_item_ids: _ITEM_IDS | None = None
    product_links: _MAP | None = None


class PostSummaryOut(msgspec.Struct):
    id: UUID
    title: str
    status: str
    post_type: str
    topic: str
    featured_image_url: str | None
    wp_post_id: int | None
    published_url: str | None
    published_at: datetime | None
    scheduled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    slug: str
    excerpt: str

    @classmethod
    def of(cls, row: PostRow) -> "PostSummaryOut":
        return cls(id=row.id, title=row.title, status=row.status, post_type=row.post_type,
                   topic=row.topic, featured_image_url=row.featured_image_url,
                   wp_post_id=row.wp_post_id, published_url=row.published_url,
                   published_at=row.published_at, scheduled_at=row.scheduled_at,
                   created_at=row.created_at, updated_at=row.updated_at, slug=row.slug,
                   excerpt=row.excerpt)


class PostOut(msgspec.Struct):
    id: UUID
    project_id: UUID
    organization_id: UUID
    title: str
    content: str
    excerpt: str
    slug: str
    status: str
    post_type: str
    topic: str
    featured_image_url: str | None
    seo_meta: dict[str, Any]
    wp_post_id: int | None
    wp_category_ids: list[int]
    published_url: str | None
    published_at: datetime | None
    scheduled_at: datetime | None
    source_item_ids: list[str]
    product_links: dict[str, Any]
    ai_settings: dict[str, Any]
    template_id: UUID | None
    analytics: dict[str, Any]
    job_id: UUID | None
    created_at: datetime
    updated_at: datetime
    generation_error: str | None = None
    publish_error: dict[str, Any] | None = None
    wp_status: str | None = None
    connection_id: UUID | None = None
    schedule_connection_id: UUID | None = None
    schedule_wp_status: str | None = None

    @classmethod
    def of(cls, row: PostRow) -> "PostOut":
        return cls(
            id=row.id, project_id=row.project_id, organization_id=row.org_id, title=row.title,
            content=row.content, excerpt=row.excerpt, slug=row.slug, status=row.status,
            post_type=row.post_type, topic=row.topic, featured_image_url=row.featured_image_url,
            seo_meta=row.seo_meta, wp_post_id=row.wp_post_id, wp_category_ids=row.wp_category_ids,
            published_url=row.published_url, published_at=row.published_at,
            scheduled_at=row.scheduled_at, source_item_ids=row.source_item_ids,
            product_links=row.product_links, ai_settings=row.ai_settings,
            template_id=row.template_id, analytics=row.analytics, job_id=row.job_id,
            created_at=row.created_at, updated_at=row.updated_at,
            generation_error=row.generation_error, publish_error=row.publish_error,
            wp_status=row.wp_status, connection_id=row.connection_id,
            schedule_connection_id=row.schedule_connection_id,
            schedule_wp_status=row.schedule_wp_status)

"""Queries over the blog posts of BlogBoard (`rm_blog.blog_posts`, `rm_blog.blog_post_versions`),
each scoped by the organization (and the project): another organization's id finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.blog.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostRow:
    id: UUID
    org_id: UUID
    project_id: UUID
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
    generation_error: str | None
    connection_id: UUID | None
    wp_status: str | None
    schedule_connection_id: UUID | None
    schedule_wp_status: str | None
    publish_error: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class VersionRow:
    version: int
    title: str
    content: str
    excerpt: str
    seo_meta: dict[str, Any]
    source: str
    job_id: UUID | None
    created_at: datetime


_FIELDS = tuple(f.name for f in dataclasses.fields(PostRow))
_POSTS = f"SELECT {', '.join(_FIELDS)} FROM {SCHEMA}.blog_posts"


def _post(row: Any) -> PostRow:
    return PostRow(**dict(zip(_FIELDS, row, strict=True)))


async def get_post(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                   post_id: UUID) -> PostRow | None:
    """The post, or None when the organization's project has no such post."""
    cur = await conn.execute(f"{_POSTS} WHERE org_id = %s AND project_id = %s AND id = %s",
                             (org_id, project_id, post_id))
    row = await cur.fetchone()
    return _post(row) if row else None


async def list_posts(conn: AsyncConnection[Any], org_id: UUID, project_id: UUID,
                     status: str | None = None) -> list[PostRow]:
    """The project's posts, newest first; only those in `status` when given."""
    sql = f"{_POSTS} WHERE org_id = %s AND project_id = %s"
    params: list[Any] = [org_id, project_id]
    if status:
        sql += " AND status = %s"
        params.append(status)
    cur = await conn.execute(sql + " ORDER BY created_at DESC, id", params)
    return [_post(row) for row in await cur.fetchall()]


async def list_due_scheduled_posts(conn: AsyncConnection[Any], now: datetime,
                                   limit: int = 100) -> list[PostRow]:
    """Posts of every organization scheduled at or before `now` (for the scheduler), oldest
    first."""
    cur = await conn.execute(
        f"{_POSTS} WHERE status = 'scheduled' AND scheduled_at <= %s"
        " ORDER BY scheduled_at, id LIMIT %s", (now, limit))
    return [_post(row) for row in await cur.fetchall()]


async def list_versions(conn: AsyncConnection[Any], org_id: UUID,
                        post_id: UUID) -> list[VersionRow]:
    """Each text the post has had, oldest first."""
    cur = await conn.execute(
        "SELECT version, title, content, excerpt, seo_meta, source, job_id, created_at"
        f" FROM {SCHEMA}.blog_post_versions WHERE org_id = %s AND post_id = %s ORDER BY version",
        (org_id, post_id))
    return [VersionRow(version=r[0], title=r[1], content=r[2], excerpt=r[3], seo_meta=r[4],
                       source=r[5], job_id=r[6], created_at=r[7]) for r in await cur.fetchall()]

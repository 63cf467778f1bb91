"""What the API tells about a project's blog posts beyond the posts themselves: a post's SEO
score, its versions, and the project's blog analytics."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import get
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.blog.posts import POST_PATH, POSTS_PATH, find_post
from api.catalog.projects import find_project
from api.dependencies import AppServices
from domain.blog.post import POST_TYPES, STATUSES
from domain.blog.seo_score import PostText, score_post
from projections.blog.post_queries import list_versions, post_analytics


class SeoCheckOut(msgspec.Struct):
    id: str
    label: str
    passed: bool
    points: int
    max_points: int
    detail: str
    recommendation: str


class SeoScoreOut(msgspec.Struct):
    score: int
    max_score: int
    focus_keyword: str
    checks: list[SeoCheckOut]
    recommendations: list[str]


class VersionOut(msgspec.Struct):
    version: int
    title: str
    content: str
    excerpt: str
    seo_meta: dict[str, object]
    source: str
    """`generated` (a job wrote it) or `edited` (a reviewer changed it)."""
    job_id: UUID | None
    created_at: datetime


class MonthCount(msgspec.Struct):
    month: str
    count: int


class TopPost(msgspec.Struct):
    id: UUID
    title: str
    views: int


class BlogAnalyticsOut(msgspec.Struct):
    total_posts: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    published_per_month: list[MonthCount]
    total_views: int | None
    """Null while no post's views are known."""
    top_posts: list[TopPost]


@get(POST_PATH + "/seo-score", operation_id="get_blog_post_seo_score", tags=["blog"],
     summary="Get SEO score", dependencies=AUTHENTICATED)
async def read_seo_score(services: AppServices, principal: Caller, project_id: UUID,
                         post_id: UUID,
                         focus_keyword: Annotated[str | None, Parameter(
                             max_length=200, description="the post's own when not given")]
                         = None) -> SeoScoreOut:
    """The post's SEO score (0 to 100) from twelve checks, each explained, with what to do
    about each failed one. The same post and keyword always score the same."""
    post = await find_post(services, principal, project_id, post_id)
    keyword = (focus_keyword or "").strip() or str(post.seo_meta.get("focus_keyword") or
                                                   post.topic)
    result = score_post(PostText(
        title=post.title, content=post.content, slug=post.slug,
        meta_title=str(post.seo_meta.get("title") or ""),
        meta_description=str(post.seo_meta.get("description") or "")), keyword)
    return SeoScoreOut(
        score=result.score, max_score=100, focus_keyword=result.focus_keyword,
        checks=[SeoCheckOut(id=c.id, label=c.label, passed=c.passed, points=c.points,
                            max_points=c.max_points, detail=c.detail,
                            recommendation=c.recommendation) for c in result.checks],
        recommendations=result.recommendations)


@get(POST_PATH + "/versions", operation_id="list_blog_post_versions", tags=["blog"],
     summary="List blog post versions", dependencies=AUTHENTICATED)
async def read_versions(services: AppServices, principal: Caller, project_id: UUID,
                        post_id: UUID) -> list[VersionOut]:
    """Every text the post has had, oldest first: each generation and each reviewer's edit."""
    await find_post(services, principal, project_id, post_id)
    async with services.pool.connection() as conn:
        rows = await list_versions(conn, principal.org_id, post_id)
    return [VersionOut(version=r.version, title=r.title, content=r.content, excerpt=r.excerpt,
                       seo_meta=r.seo_meta, source=r.source, job_id=r.job_id,
                       created_at=r.created_at) for r in rows]


@get(POSTS_PATH + "/analytics", operation_id="get_blog_analytics", tags=["blog"],
     summary="Blog analytics summary", dependencies=AUTHENTICATED)
async def read_analytics(services: AppServices, principal: Caller,
                         project_id: UUID) -> BlogAnalyticsOut:
    """The project's posts counted by status and by type (every one listed, 0 included),
    those published per month, and their views where known (null otherwise)."""
    await find_project(services, principal.org_id, project_id)
    async with services.pool.connection() as conn:
        found = await post_analytics(conn, principal.org_id, project_id)
    return BlogAnalyticsOut(
        total_posts=sum(found.by_status.values()),
        by_status={s: found.by_status.get(s, 0) for s in STATUSES},
        by_type={t: found.by_type.get(t, 0) for t in POST_TYPES},
        published_per_month=[MonthCount(month=m, count=n) for m, n in found.published_per_month],
        total_views=found.views,
        top_posts=[TopPost(id=i, title=t, views=v) for i, t, v in found.top_posts])


ROUTES = [read_analytics, read_seo_score, read_versions]

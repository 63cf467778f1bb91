"""`/api/v1/projects/{id}/blog-posts`: a project's blog posts, written by a `blog.generate`
job from its products and a blog template, then reviewed (any member)."""

import asyncio
from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Request, delete, get, patch, post
from litestar.params import Parameter

from adapters.files.store import file_store_for
from api.auth import AUTHENTICATED, Caller
from api.blog.post_schemas import PostChange, PostIn, PostOut, PostSummaryOut
from api.catalog.projects import PROJECT_PATH, find_project
from api.commanding import run_command
from api.dependencies import AppServices
from commands.blog import posts as handlers
from domain.blog.post import STATUSES
from domain.errors import MalformedInputError, NotFoundError
from projections.blog.media_queries import list_post_images
from projections.blog.post_queries import get_post, list_posts

WAIT_FOR = ("blog", "jobs")
POSTS_PATH = PROJECT_PATH + "/blog-posts"
POST_PATH = POSTS_PATH + "/{post_id:uuid}"


async def find_post(services: AppServices, principal: Caller, project_id: UUID,
                    post_id: UUID) -> PostOut:
    """The post as the API shows it; 404 when the organization's project has no such post."""
    async with services.pool.connection() as conn:
        row = await get_post(conn, principal.org_id, project_id, post_id)
    if row is None:
        raise NotFoundError("blog post not found")
    return PostOut.of(row)


@get(POSTS_PATH, operation_id="list_blog_posts", tags=["blog"], summary="List blog posts",
     dependencies=AUTHENTICATED)
async def read_posts(services: AppServices, principal: Caller, project_id: UUID,
                     status: Annotated[str | None, Parameter(
                         max_length=50, description=", ".join(STATUSES))] = None,
                     ) -> list[PostSummaryOut]:
    """The project's posts, newest first; only those in `status` when given."""
    if status is not None and status not in STATUSES:
        raise MalformedInputError(f"unknown status {status!r}: expected one of"
                                  f" {', '.join(STATUSES)}")
    await find_project(services, principal.org_id, project_id)
    async with services.pool.connection() as conn:
        rows = await list_posts(conn, principal.org_id, project_id, status)
    return [PostSummaryOut.of(row) for row in rows]


@post(POSTS_PATH, operation_id="create_blog_post", tags=["blog"], status_code=200,
      summary="Create blog post", dependencies=AUTHENTICATED)
async def create_post(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                      project_id: UUID, data: PostIn) -> PostOut:
    """A new post (status `generating`) and the `blog.generate` job that writes it (its
    `job_id`); 404 naming the source items or template the organization does not have."""
    post_id, job_id = uuid4(), uuid4()
    await run_command(request, principal, handlers.create_post, handlers.CreatePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id, job_id=job_id,
        post_type=data.post_type, topic=data.topic,
        source_item_ids=tuple(data.source_item_ids),
        wp_category_ids=tuple(data.wp_category_ids), template_id=data.template_id,
        ai_settings=data.ai_settings, created_by=principal.user_id), wait_for=WAIT_FOR)
    return await find_post(services, principal, project_id, post_id)


@get(POST_PATH, operation_id="get_blog_post", tags=["blog"], summary="Get blog post",
     dependencies=AUTHENTICATED)
async def read_post(services: AppServices, principal: Caller, project_id: UUID,
                    post_id: UUID) -> PostOut:
    return await find_post(services, principal, project_id, post_id)


@patch(POST_PATH, operation_id="update_blog_post", tags=["blog"], summary="Update blog post",
       dependencies=AUTHENTICATED)
async def update_post(request: Request[Any, Any, Any], services: AppServices,
                      principal: Caller, project_id: UUID, post_id: UUID,
                      data: PostChange) -> PostOut:
    """Change the fields given; a change of the text is kept as a new version, HTML is
    sanitised (scripts and event handlers removed); 409 for a slug another post of the
    project has."""
    changes = {f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not None}
    if "source_item_ids" in changes:
        changes["source_item_ids"] = [str(i) for i in changes["source_item_ids"]]
    await run_command(request, principal, handlers.change_post, handlers.ChangePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id, changes=changes),
        wait_for=("blog",))
    return await find_post(services, principal, project_id, post_id)


@delete(POST_PATH, operation_id="delete_blog_post", tags=["blog"], summary="Delete blog post",
        dependencies=AUTHENTICATED)
async def delete_post(request: Request[Any, Any, Any], services: AppServices,
                      principal: Caller, project_id: UUID, post_id: UUID) -> None:
    """Delete the post with its images and their files."""
    async with services.pool.connection() as conn:
        images = await list_post_images(conn, principal.org_id, post_id)
    outcome = await run_command(request, principal, handlers.delete_post, handlers.DeletePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id,
        image_ids=tuple(image.id for image in images)), wait_for=("blog", "blog_media"))
    store = file_store_for(services.settings)
    for key in outcome.result:
        await asyncio.to_thread(store.delete, key)


@post(POST_PATH + "/regenerate", operation_id="regenerate_blog_post", tags=["blog"],
      status_code=200, summary="Regenerate blog post", dependencies=AUTHENTICATED)
async def regenerate_post(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, project_id: UUID, post_id: UUID) -> PostOut:
    """A new `blog.generate` job for the post (status `generating`, its new `job_id`); the
    current text stays among its versions. 409 while it is generated, scheduled or published."""
    await run_command(request, principal, handlers.regenerate_post, handlers.RegeneratePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id, job_id=uuid4(),
        created_by=principal.user_id), wait_for=WAIT_FOR)
    return await find_post(services, principal, project_id, post_id)


ROUTES = [read_posts, create_post, read_post, update_post, delete_post, regenerate_post]

"""`…/blog-posts/{id}/publish`, `/unpublish`, `/schedule`, `/unschedule`: a post on the
organization's WordPress site. Publish creates the WordPress post, or updates the one it made
before (never a second one); unpublish sets it to draft there and here. A schedule is kept by
copydesk (the truth), and the scheduler worker publishes the post when it falls due. Each
answers the post as `GET` shows it."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, post

from api.auth import AUTHENTICATED, Caller
from api.blog.post_schemas import PostOut
from api.blog.posts import POST_PATH, find_post
from api.commanding import event_meta, run_command
from api.dependencies import AppServices
from api.services import Services
from commands.blog import publishing as handlers
from commands.blog.publisher import Publisher, blog_policy
from domain.errors import InvalidCommandError
from domain.events import utcnow
from projections.blog.queries import list_connections

WAIT_FOR = ("blog",)
_STATUS = Annotated[str, msgspec.Meta(max_length=20)]


class PublishIn(msgspec.Struct):
    connection_id: UUID | None = None
    """The blog connection; by default the post's, else the organization's first active."""
    wp_status: _STATUS = "publish"
    """publish | draft | pending | private."""


class ScheduleIn(msgspec.Struct):
    scheduled_at: datetime
    """In the future, with a time zone (`2027-01-05T09:00:00Z`)."""
    connection_id: UUID | None = None
    wp_status: _STATUS = "publish"


def _publisher(services: Services) -> Publisher:
    settings = services.settings
    return Publisher(bus=services.bus, pool=services.pool, secret_key=settings.secret_key,
                     policy=blog_policy(settings), own_base=settings.links_base())


async def _connection(services: AppServices, principal: Caller, project_id: UUID,
                      post_id: UUID, given: UUID | None) -> UUID:
    if given is not None:
        return given
    shown = await find_post(services, principal, project_id, post_id)
    for known in (shown.connection_id, shown.schedule_connection_id):
        if known is not None:
            return known
    async with services.pool.connection() as conn:
        active = [c for c in await list_connections(conn, principal.org_id) if c.is_active]
    if not active:
        raise InvalidCommandError("connection_id is required: the organization has no active"
                                  " blog connection")
    return active[0].id


async def _caught_up(request: Request[Any, Any, Any], services: Services, position: int) -> None:
    """Read-your-writes, as `run_command` does."""
    if position:
        request.state["position"] = position
        if request.headers.get("x-consistency", "").lower() != "eventual":
            await services.positions.wait(WAIT_FOR, position,
                                          services.settings.consistency_wait_seconds)


@post(POST_PATH + "/publish", operation_id="publish_blog_post", tags=["blog"], status_code=200,
      summary="Publish blog post to WordPress", dependencies=AUTHENTICATED)
async def publish_post(request: Request[Any, Any, Any], services: AppServices,
                       principal: Caller, project_id: UUID, post_id: UUID,
                       data: PublishIn) -> PostOut:
    """Create the WordPress post, or update the one published before; 422 when WordPress
    refuses (credentials, the post), 503 when it cannot be reached (recorded in the post's
    `publish_error` either way)."""
    connection_id = await _connection(services, principal, project_id, post_id,
                                      data.connection_id)
    position = await _publisher(services).publish(event_meta(request, principal),
                                                   handlers.StartPublish(
        org_id=principal.org_id, project_id=project_id, post_id=post_id,
        connection_id=connection_id, wp_status=data.wp_status, scheduled=False, now=utcnow()))
    await _caught_up(request, services, position)
    return await find_post(services, principal, project_id, post_id)


@post(POST_PATH + "/unpublish", operation_id="unpublish_blog_post", tags=["blog"],
      status_code=200, summary="Unpublish blog post from WordPress", dependencies=AUTHENTICATED)
async def unpublish_post(request: Request[Any, Any, Any], services: AppServices,
                         principal: Caller, project_id: UUID, post_id: UUID) -> PostOut:
    """Set the WordPress post to draft, then the post here; 409 when it is not published."""
    position = await _publisher(services).unpublish(event_meta(request, principal),
                                                    handlers.PostRef(
        org_id=principal.org_id, project_id=project_id, post_id=post_id))
    await _caught_up(request, services, position)
    return await find_post(services, principal, project_id, post_id)


@post(POST_PATH + "/schedule", operation_id="schedule_blog_post", tags=["blog"],
      status_code=200, summary="Schedule blog post", dependencies=AUTHENTICATED)
async def schedule_post(request: Request[Any, Any, Any], services: AppServices,
                        principal: Caller, project_id: UUID, post_id: UUID,
                        data: ScheduleIn) -> PostOut:
    """Publish the post at `scheduled_at` (422 unless in the future)."""
    connection_id = await _connection(services, principal, project_id, post_id,
                                      data.connection_id)
    await run_command(request, principal, handlers.schedule_post, handlers.SchedulePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id,
        scheduled_at=data.scheduled_at, now=utcnow(), connection_id=connection_id,
        wp_status=data.wp_status), wait_for=WAIT_FOR)
    return await find_post(services, principal, project_id, post_id)


@post(POST_PATH + "/unschedule", operation_id="unschedule_blog_post", tags=["blog"],
      status_code=200, summary="Unschedule blog post", dependencies=AUTHENTICATED)
async def unschedule_post(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, project_id: UUID, post_id: UUID) -> PostOut:
    """Cancel the scheduled publication; the post is a draft again (409 unless scheduled)."""
    await run_command(request, principal, handlers.unschedule_post, handlers.UnschedulePost(
        org_id=principal.org_id, project_id=project_id, post_id=post_id), wait_for=WAIT_FOR)
    return await find_post(services, principal, project_id, post_id)


ROUTES = [publish_post, unpublish_post, schedule_post, unschedule_post]

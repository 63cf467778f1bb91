"""`/api/v1/blog-connections`: the organization's WordPress sites, reached with a user's
Application Password. The password is sealed at rest and never shown (`has_credentials`);
`…/test` asks WordPress who it belongs to, `…/categories` fetches the site's categories
(cached; `refresh=true` fetches again)."""

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import msgspec
import structlog
from litestar import Request, delete, get, patch, post

from adapters.blog import wordpress
from adapters.outbound_urls import OutboundPolicy
from adapters.postgres import secrets
from adapters.secret_box import SecretBox
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from commands.blog import connections as handlers
from domain.blog.connection import MAX_NAME, MAX_PASSWORD, MAX_URL, MAX_USERNAME, check_password
from domain.errors import NotFoundError, UnavailableError
from projections.blog.queries import ConnectionRow, get_connection, list_connections

log = structlog.get_logger("copydesk.blog")
WAIT_FOR = ("blog",)
CONNECTIONS_PATH = "/api/v1/blog-connections"
CONNECTION_PATH = CONNECTIONS_PATH + "/{connection_id:uuid}"
_NAME = Annotated[str, msgspec.Meta(max_length=MAX_NAME * 4)]
_URL = Annotated[str, msgspec.Meta(max_length=MAX_URL)]
_USERNAME = Annotated[str, msgspec.Meta(max_length=MAX_USERNAME * 2)]
_PASSWORD = Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD * 2)]


class ConnectionIn(msgspec.Struct):
    name: _NAME
    site_url: _URL
    username: _USERNAME
    app_password: _PASSWORD


class ConnectionChange(msgspec.Struct):
    """Only the fields given change."""

    name: _NAME | None = None
    site_url: _URL | None = None
    username: _USERNAME | None = None
    app_password: _PASSWORD | None = None
    is_active: bool | None = None


class ConnectionOut(msgspec.Struct):
    id: UUID
    name: str
    site_url: str
    username: str
    is_active: bool
    has_credentials: bool
    has_categories: bool
    categories_cached_at: datetime | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: ConnectionRow) -> "ConnectionOut":
        return cls(id=row.id, name=row.name, site_url=row.site_url, username=row.username,
                   is_active=row.is_active, has_credentials=True,
                   has_categories=bool(row.categories),
                   categories_cached_at=row.categories_cached_at,
                   last_synced_at=row.categories_cached_at, created_at=row.created_at,
                   updated_at=row.updated_at)


class TestOut(msgspec.Struct):
    success: bool
    message: str
    site_name: str | None = None
    user_name: str | None = None
    can_publish: bool = False


class CategoryOut(msgspec.Struct):
    id: int
    name: str
    slug: str
    count: int
    parent: int


def _sealed(services: AppServices, password: str) -> handlers.SealedPassword:
    box = SecretBox(services.settings.secret_key)
    clean = check_password(password)
    return handlers.SealedPassword(ciphertext=box.seal(clean), fingerprint=box.fingerprint(clean))


def _policy(services: AppServices) -> OutboundPolicy:
    settings = services.settings
    return OutboundPolicy(allow_loopback=settings.feeds_allow_loopback,
                          timeout_seconds=settings.feed_timeout_seconds)


async def _row(services: AppServices, principal: Caller, connection_id: UUID) -> ConnectionRow:
    async with services.pool.connection() as conn:
        row = await get_connection(conn, principal.org_id, connection_id)
    if row is None:
        raise NotFoundError("blog connection not found")
    return row


async def _site(services: AppServices, principal: Caller, row: ConnectionRow) -> wordpress.Site:
    async with services.pool.connection() as conn:
        sealed = await secrets.sealed(conn, row.id, handlers.PASSWORD_PURPOSE, principal.org_id)
    password = ""
    if sealed is not None:
        try:
            password = SecretBox(services.settings.secret_key).open(sealed)
        except ValueError:
            log.warning("blog_password_unreadable", connection_id=str(row.id))
    return wordpress.Site(url=row.site_url, username=row.username, password=password)


@get(CONNECTIONS_PATH, operation_id="list_blog_connections", tags=["blog"],
     summary="List blog connections", dependencies=AUTHENTICATED)
async def read_connections(services: AppServices, principal: Caller) -> list[ConnectionOut]:
    """The organization's WordPress connections, oldest first."""
    async with services.pool.connection() as conn:
        return [ConnectionOut.of(r) for r in await list_connections(conn, principal.org_id)]


@post(CONNECTIONS_PATH, operation_id="create_blog_connection", tags=["blog"],
      status_code=200, summary="Create blog connection", dependencies=AUTHENTICATED)
async def create_connection(request: Request[Any, Any, Any], services: AppServices,
                            principal: Caller, data: ConnectionIn) -> ConnectionOut:
    """Keep a WordPress site with its Application Password (sealed, never shown)."""
    connection_id = uuid4()
    await run_command(request, principal, handlers.create_connection,
                      handlers.CreateConnection(
                          org_id=principal.org_id, connection_id=connection_id, name=data.name,
                          site_url=data.site_url, username=data.username,
                          password=_sealed(services, data.app_password)), wait_for=WAIT_FOR)
    return ConnectionOut.of(await _row(services, principal, connection_id))


@get(CONNECTION_PATH, operation_id="get_blog_connection", tags=["blog"],
     summary="Get blog connection", dependencies=AUTHENTICATED)
async def read_connection(services: AppServices, principal: Caller,
                          connection_id: UUID) -> ConnectionOut:
    return ConnectionOut.of(await _row(services, principal, connection_id))


@patch(CONNECTION_PATH, operation_id="update_blog_connection", tags=["blog"],
       summary="Update blog connection", dependencies=AUTHENTICATED)
async def update_connection(request: Request[Any, Any, Any], services: AppServices,
                            principal: Caller, connection_id: UUID,
                            data: ConnectionChange) -> ConnectionOut:
    """Change the fields given; a new `app_password` replaces the sealed one."""
    password = None if data.app_password is None else _sealed(services, data.app_password)
    await run_command(request, principal, handlers.change_connection, handlers.ChangeConnection(
        org_id=principal.org_id, connection_id=connection_id, name=data.name,
        site_url=data.site_url, username=data.username, password=password,
        is_active=data.is_active), wait_for=WAIT_FOR)
    return ConnectionOut.of(await _row(services, principal, connection_id))


@delete(CONNECTION_PATH, operation_id="delete_blog_connection", tags=["blog"],
        summary="Delete blog connection", dependencies=AUTHENTICATED)
async def delete_connection(request: Request[Any, Any, Any], principal: Caller,
                            connection_id: UUID) -> None:
    """Delete the connection and its sealed password."""
    await run_command(request, principal, handlers.delete_connection, handlers.DeleteConnection(
        org_id=principal.org_id, connection_id=connection_id), wait_for=WAIT_FOR)


@post(CONNECTION_PATH + "/test", operation_id="test_blog_connection", tags=["blog"],
      status_code=200, summary="Test blog connection", dependencies=AUTHENTICATED)
async def test_connection(services: AppServices, principal: Caller,
                          connection_id: UUID) -> TestOut:
    """Ask WordPress whom the Application Password belongs to and whether they may publish
    (`publish_posts`); a refusal is `success: false` with WordPress's reason."""
    row = await _row(services, principal, connection_id)
    site = await _site(services, principal, row)
    host = urlsplit(row.site_url).hostname
    try:
        user = await wordpress.current_user(site, _policy(services))
    except wordpress.WordPressError as error:
        log.info("blog_connection_test_failed", connection_id=str(row.id),
                 auth=isinstance(error, wordpress.WordPressAuthError))
        return TestOut(success=False, message=str(error), site_name=host)
    message = (f"connected as {user.name}" if user.can_publish
               else f"connected as {user.name}, who may not publish posts")
    return TestOut(success=True, message=message, site_name=host, user_name=user.name,
                   can_publish=user.can_publish)


@get(CONNECTION_PATH + "/categories", operation_id="get_blog_categories", tags=["blog"],
     summary="Get WordPress categories", dependencies=AUTHENTICATED)
async def read_categories(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, connection_id: UUID,
                          refresh: bool = False) -> list[CategoryOut]:
    """The site's categories, every page of them; cached until `refresh=true`. 503 when
    the site cannot be reached or refuses the credentials."""
    row = await _row(services, principal, connection_id)
    if row.categories is not None and not refresh:
        return [CategoryOut(**c) for c in row.categories]
    site = await _site(services, principal, row)
    try:
        found = await wordpress.categories(site, _policy(services))
    except wordpress.WordPressError as error:
        raise UnavailableError(f"the blog could not be read: {error}") from error
    await run_command(request, principal, handlers.cache_categories, handlers.CacheCategories(
        org_id=principal.org_id, connection_id=connection_id, categories=tuple(found)),
        wait_for=WAIT_FOR)
    return [CategoryOut(**c) for c in found]


ROUTES = [read_connections, create_connection, read_connection, update_connection,
          delete_connection, test_connection, read_categories]

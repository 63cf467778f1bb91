"""`/api/v1/pages` (≡ `/api/pages`, seed 002): pages of the organization's own HTML, each
change of the HTML a new version, looked up by slug; served to anyone at `/p/<slug>`
(`api.pages.public_html`). Ids are integers per organization; slugs are unique across all."""

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, patch, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.search.numbers import check_number
from commands.pages import html_pages as handlers
from domain.errors import MalformedInputError, NotFoundError
from domain.pages.html_pages import FEATURES, MAX_DESCRIPTION, MAX_HTML_BYTES
from domain.pages.templates import MAX_NAME
from projections.pages.html_queries import (
    HtmlPageRow,
    find_html_page,
    get_html_page,
    get_html_version,
    list_html_versions,
)

WAIT_FOR = ("pages",)
PAGES_PATH = "/api/v1/pages"
PAGE_PATH = PAGES_PATH + "/{page_id:int}"
_NAME = Annotated[str, msgspec.Meta(max_length=MAX_NAME * 4)]
_DESCRIPTION = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION * 2)]
_HTML = Annotated[str, msgspec.Meta(max_length=MAX_HTML_BYTES)]
_SHORT = Annotated[str, msgspec.Meta(max_length=200)]


class HtmlPageIn(msgspec.Struct):
    name: _NAME
    html_content: _HTML
    description: _DESCRIPTION = ""
    storage_mode: _SHORT = "page"
    page_api_ai_enabled: bool = False
    page_api_image_gen_enabled: bool = False
    page_api_image_search_enabled: bool = False
    page_api_image_recognition_enabled: bool = False
    is_published: bool = True


class HtmlPageChange(msgspec.Struct):
    html_content: _HTML | None = None
    name: _NAME | None = None
    description: _DESCRIPTION | None = None
    slug: _SHORT | None = None
    storage_mode: _SHORT | None = None
    is_published: bool | None = None
    page_api_ai_enabled: bool | None = None
    page_api_image_gen_enabled: bool | None = None
    page_api_image_search_enabled: bool | None = None
    page_api_image_recognition_enabled: bool | None = None
    page_api_spawn_enabled: bool | None = None


class CreatedPage(msgspec.Struct):
    id: int
    name: str
    slug: str
    url: str
    is_published: bool
    storage_mode: str
    page_api_ai_enabled: bool
    page_api_image_gen_enabled: bool
    page_api_image_search_enabled: bool
    page_api_image_recognition_enabled: bool


class PageCreated(msgspec.Struct):
    page: CreatedPage


class PageDetail(msgspec.Struct):
    id: int
    name: str
    slug: str
    url: str
    html_content: str
    is_published: bool
    is_unlisted: bool
    views: int
    updated_at: datetime
    description: str
    page_api_ai_enabled: bool
    page_api_image_gen_enabled: bool
    page_api_image_search_enabled: bool
    page_api_image_recognition_enabled: bool
    page_api_spawn_enabled: bool
    preview_image_url: str | None = None
    """The page's preview image (`POST …/generate-preview-image`), served by copydesk."""


class PageWithHistory(msgspec.Struct):
    """Field names as the specification spells them (camelCase here)."""

    page: PageDetail
    conversationId: int | None
    messages: list[dict[str, Any]]
    versionCount: int
    storageMode: str


class SlugLookup(msgspec.Struct):
    id: int
    name: str
    slug: str
    isPublished: bool
    updatedAt: datetime


class Updated(msgspec.Struct, omit_defaults=True):
    success: bool
    message: str
    slug: str | None = None


class VersionOut(msgspec.Struct):
    version: int
    size: int
    created_at: datetime


class VersionContent(msgspec.Struct):
    version: int
    html_content: str


def public_url(request: Request[Any, Any, Any], slug: str) -> str:
    """Where the page is served: the pages origin when one is set, else this API's."""
    origin = request.app.state.services.settings.pages_origin
    return f"{origin or str(request.base_url).rstrip('/')}/p/{slug}"


def preview_url(request: Request[Any, Any, Any], file_name: str) -> str:
    return f"{str(request.base_url).rstrip('/')}{PAGES_PATH}/preview-images/{file_name}"


def _detail(request: Request[Any, Any, Any], row: HtmlPageRow) -> PageDetail:
    return PageDetail(id=row.number, name=row.name, slug=row.slug,
                      url=public_url(request, row.slug), html_content=row.html_content,
                      is_published=row.is_published, is_unlisted=False, views=row.views,
                      updated_at=row.updated_at, description=row.description,
                      preview_image_url=(preview_url(request, row.preview_image)
                                         if row.preview_image else None),
                      **{name: row.features.get(name, False) for name in FEATURES})


async def find_page(services: AppServices, principal: Caller, number: int) -> HtmlPageRow:
    async with services.pool.connection() as conn:
        row = await get_html_page(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("page not found")
    return row


@post(PAGES_PATH, operation_id="create_html_page", tags=["html-pages"], status_code=201,
      summary="Create a page with HTML content", dependencies=AUTHENTICATED)
async def create_page(request: Request[Any, Any, Any], services: AppServices,
                      principal: Caller, data: HtmlPageIn) -> PageCreated:
    """A new page (published unless said), its slug made of its name."""
    features = {name: getattr(data, name) for name in FEATURES if hasattr(data, name)}
    outcome = await run_command(request, principal, handlers.create_html_page,
                                handlers.CreateHtmlPage(
                                    org_id=principal.org_id, name=data.name,
                                    html_content=data.html_content,
                                    description=data.description,
                                    storage_mode=data.storage_mode, features=features,
                                    is_published=data.is_published), wait_for=WAIT_FOR)
    row = await find_page(services, principal, outcome.result)
    return PageCreated(page=CreatedPage(
        id=row.number, name=row.name, slug=row.slug, url=public_url(request, row.slug),
        is_published=row.is_published, storage_mode=row.storage_mode,
        page_api_ai_enabled=row.features["page_api_ai_enabled"],
        page_api_image_gen_enabled=row.features["page_api_image_gen_enabled"],
        page_api_image_search_enabled=row.features["page_api_image_search_enabled"],
        page_api_image_recognition_enabled=row.features["page_api_image_recognition_enabled"]))


@get(PAGES_PATH + "/lookup", operation_id="lookup_html_page", tags=["html-pages"],
     summary="Get page ID from slug", dependencies=AUTHENTICATED)
async def lookup_page(services: AppServices, principal: Caller,
                      slug: str | None = None) -> SlugLookup:
    """The organization's page with this slug."""
    if not slug or not slug.strip():
        raise MalformedInputError("query parameter 'slug' is required")
    async with services.pool.connection() as conn:
        row = await find_html_page(conn, principal.org_id, slug.strip().lower())
    if row is None:
        raise NotFoundError("page not found")
    return SlugLookup(id=row.number, name=row.name, slug=row.slug,
                      isPublished=row.is_published, updatedAt=row.updated_at)


@get(PAGE_PATH, operation_id="get_html_page", tags=["html-pages"],
     summary="Get page details and content", dependencies=AUTHENTICATED)
async def read_page(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                    page_id: int) -> PageWithHistory:
    """The page with its current HTML and how many versions it has."""
    row = await find_page(services, principal, check_number(page_id, "page"))
    return PageWithHistory(page=_detail(request, row), conversationId=None, messages=[],
                           versionCount=row.version, storageMode=row.storage_mode)


@patch(PAGE_PATH, operation_id="update_html_page", tags=["html-pages"],
       summary="Update page content or metadata", dependencies=AUTHENTICATED)
async def update_page(request: Request[Any, Any, Any], principal: Caller, page_id: int,
                      data: HtmlPageChange) -> Updated:
    """Change what the body names; new HTML is a new version; a slug another page holds is
    409."""
    features = {name: getattr(data, name) for name in FEATURES}
    outcome = await run_command(request, principal, handlers.change_html_page,
                                handlers.ChangeHtmlPage(
                                    org_id=principal.org_id,
                                    number=check_number(page_id, "page"), name=data.name,
                                    slug=data.slug, description=data.description,
                                    html_content=data.html_content,
                                    storage_mode=data.storage_mode,
                                    is_published=data.is_published, features=features),
                                wait_for=WAIT_FOR)
    if data.slug is not None:
        return Updated(success=True, slug=outcome.result,
                       message=f"Page slug updated to: {outcome.result}")
    return Updated(success=True, message="Page updated successfully")


@delete(PAGE_PATH, operation_id="delete_html_page", tags=["html-pages"],
        summary="Delete a page", dependencies=AUTHENTICATED)
async def delete_page(request: Request[Any, Any, Any], principal: Caller, page_id: int) -> None:
    """Delete the page and its versions; its slug is free again."""
    await run_command(request, principal, handlers.delete_html_page, handlers.DeleteHtmlPage(
        org_id=principal.org_id, number=check_number(page_id, "page")), wait_for=WAIT_FOR)


@get(PAGE_PATH + "/versions", operation_id="list_html_page_versions", tags=["html-pages"],
     summary="List a page's versions", dependencies=AUTHENTICATED)
async def read_versions(services: AppServices, principal: Caller,
                        page_id: int) -> list[VersionOut]:
    """Every version of the page's HTML, oldest first (beyond the specification)."""
    row = await find_page(services, principal, check_number(page_id, "page"))
    async with services.pool.connection() as conn:
        versions = await list_html_versions(conn, principal.org_id, row.number)
    return [VersionOut(version=v.version, size=v.size, created_at=v.created_at)
            for v in versions]


@get(PAGE_PATH + "/versions/{version:int}", operation_id="get_html_page_version",
     tags=["html-pages"], summary="Get one version of a page", dependencies=AUTHENTICATED)
async def read_version(services: AppServices, principal: Caller, page_id: int,
                       version: int) -> VersionContent:
    row = await find_page(services, principal, check_number(page_id, "page"))
    async with services.pool.connection() as conn:
        html = await get_html_version(conn, principal.org_id, row.number,
                                      check_number(version, "version"))
    if html is None:
        raise NotFoundError("version not found")
    return VersionContent(version=version, html_content=html)


ROUTES = [create_page, lookup_page, read_page, update_page, delete_page, read_versions,
          read_version]

"""`/api/v1/ai-pages/pages` (≡ `/api/ai-pages/pages/`): landing pages with integer ids, a
slug unique in the organization (409) and a page limit by subscription tier (403); and the
public page, `/api/ai-pages/public/pages/<organization slug>/<page slug>/`, without
authentication, for published pages only, counting views and AI crawlers' visits."""

import dataclasses
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, patch, post

from adapters.postgres.page_views import LANDING, ViewBuffer, is_ai_crawler
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.pages.page_writer_choice import PageWriterIn, chosen_writer
from api.pages.public_cache import public_pages
from api.search.numbers import MAX_NUMBER, check_number
from commands.pages import landing as handlers
from domain.errors import NotFoundError
from domain.pages.landing import MAX_SLUG, MAX_TITLE
from projections.identity.queries import find_organization_id
from projections.pages.landing_queries import (
    LandingPageRow,
    find_published_page,
    get_landing_page,
    list_landing_pages,
)

WAIT_FOR = ("pages",)
PAGES_PATH = "/api/v1/ai-pages/pages"
PAGE_PATH = PAGES_PATH + "/{page_id:int}"
_SLUG = Annotated[str, msgspec.Meta(max_length=MAX_SLUG * 2)]
_TITLE = Annotated[str, msgspec.Meta(max_length=MAX_TITLE * 4)]
_QUERY = Annotated[int, msgspec.Meta(ge=1, le=MAX_NUMBER)]


class PageIn(msgspec.Struct):
    slug: _SLUG
    query: _QUERY | None = None
    title: _TITLE | None = None
    published: bool = False


class PageChange(msgspec.Struct):
    """Only the fields given change."""

    slug: _SLUG | None = None
    title: _TITLE | None = None
    published: bool | None = None


class PageSummary(msgspec.Struct):
    """A page in the list: everything but its content."""

    id: int
    slug: str
    title: str
    query: int | None
    published: bool
    view_count: int
    last_ai_crawl_at: datetime | None
    generated_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: LandingPageRow) -> "PageSummary":
        return cls(id=row.number, slug=row.slug, title=row.title, query=row.query,
                   published=row.published, view_count=row.view_count,
                   last_ai_crawl_at=row.last_ai_crawl_at, generated_at=row.generated_at,
                   created_at=row.created_at, updated_at=row.updated_at)


class PageOut(msgspec.Struct):
    id: int
    slug: str
    title: str
    query: int | None
    published: bool
    intro_copy: str
    product_skus: list[str]
    blocks: list[dict[str, Any]]
    view_count: int
    last_ai_crawl_at: datetime | None
    generated_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: LandingPageRow) -> "PageOut":
        return cls(id=row.number, slug=row.slug, title=row.title, query=row.query,
                   published=row.published, intro_copy=row.intro_copy,
                   product_skus=row.product_skus, blocks=row.blocks, view_count=row.view_count,
                   last_ai_crawl_at=row.last_ai_crawl_at, generated_at=row.generated_at,
                   created_at=row.created_at, updated_at=row.updated_at)


async def _find(services: AppServices, principal: Caller, number: int) -> PageOut:
    async with services.pool.connection() as conn:
        row = await get_landing_page(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("page not found")
    return PageOut.of(row)


@get(PAGES_PATH, operation_id="list_landing_pages", tags=["pages"],
     summary="List generated pages", dependencies=AUTHENTICATED)
async def read_pages(services: AppServices, principal: Caller) -> list[PageSummary]:
    """The organization's pages by id, without their content (no intro_copy, no
    product_skus, no blocks)."""
    async with services.pool.connection() as conn:
        return [PageSummary.of(row) for row in await list_landing_pages(conn, principal.org_id)]


@post(PAGES_PATH, operation_id="create_landing_page", tags=["pages"], status_code=201,
      summary="Create a generated page", dependencies=AUTHENTICATED)
async def create_page(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: PageIn,
) -> PageOut:
    """A new page (unpublished unless said; titled by its query's text unless given); 409
    when the slug is taken, 403 when the organization's page limit is reached."""
    outcome = await run_command(request, principal, handlers.create_page, handlers.CreatePage(
        org_id=principal.org_id, slug=data.slug, title=data.title, query=data.query,
        published=data.published), wait_for=WAIT_FOR)
    return await _find(services, principal, outcome.result)


@get(PAGE_PATH, operation_id="get_landing_page", tags=["pages"], summary="Get a page",
     dependencies=AUTHENTICATED)
async def read_page(services: AppServices, principal: Caller, page_id: int) -> PageOut:
    """One page with its content and blocks; 404 when the organization has none by this id."""
    return await _find(services, principal, check_number(page_id, "page"))


@patch(PAGE_PATH, operation_id="update_landing_page", tags=["pages"],
       summary="Update a page", dependencies=AUTHENTICATED)
async def update_page(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, page_id: int,
    data: PageChange,
) -> PageOut:
    """Change the slug, the title or whether it is published."""
    number = check_number(page_id, "page")
    await run_command(request, principal, handlers.change_page, handlers.ChangePage(
        org_id=principal.org_id, number=number, slug=data.slug, title=data.title,
        published=data.published), wait_for=WAIT_FOR)
    return await _find(services, principal, number)


@delete(PAGE_PATH, operation_id="delete_landing_page", tags=["pages"],
        summary="Delete a page", dependencies=AUTHENTICATED)
async def delete_page(request: Request[Any, Any, Any], principal: Caller, page_id: int) -> None:
    """Delete a page; its slug is free again, its id is not given out again."""
    await run_command(request, principal, handlers.delete_page, handlers.DeletePage(
        org_id=principal.org_id, number=check_number(page_id, "page")), wait_for=WAIT_FOR)


class GenerationQueued(msgspec.Struct):
    status: str
    job_id: UUID


@post(PAGE_PATH + "/regenerate", operation_id="regenerate_landing_page", tags=["pages"],
      status_code=202, summary="Regenerate a page", dependencies=AUTHENTICATED)
async def regenerate_page(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, page_id: int,
                          data: PageWriterIn | None = None) -> GenerationQueued:
    """Queue a job that searches the organization's products for the page's query and writes
    its intro and blocks (XCT charged once) — with the text model the body names, else the
    offline writer; 409 while a generation of this page runs."""
    job_id = uuid4()
    number = check_number(page_id, "page")
    writer = await chosen_writer(services, principal, data)
    await run_command(request, principal, handlers.start_page_generation,
                      handlers.StartPageGeneration(
                          org_id=principal.org_id, number=number, job_id=job_id,
                          created_by=principal.user_id, writer=writer), wait_for=("jobs",))
    return GenerationQueued(status="queued", job_id=job_id)


@get("/api/v1/ai-pages/public/pages/{tenant_slug:str}/{page_slug:str}",
     operation_id="get_public_page", tags=["pages"], summary="Public page", security=[])
async def read_public_page(request: Request[Any, Any, Any], services: AppServices,
                           tenant_slug: str, page_slug: str) -> PageOut:
    """A published page, for anyone: counts a view, and notes when an AI crawler (GPTBot,
    ClaudeBot, PerplexityBot, GoogleOther, anthropic-ai) read it. 404 for a draft."""
    views = services.views

    async def load() -> PublicPage | None:
        async with services.pool.connection() as conn:
            org_id = await find_organization_id(conn, tenant_slug)
            row = None if org_id is None else await find_published_page(conn, org_id, page_slug)
        if org_id is None or row is None:
            return None
        # the counter as written plus what this process counted and has not written yet
        base = row.view_count + views.pending(org_id, LANDING, row.number)
        return org_id, row, base, views.counted(org_id, LANDING, row.number)

    found = await public_pages(services.positions).get(public_key(tenant_slug, page_slug), load)
    if found is None:
        raise NotFoundError("page not found")
    return public_view(found, views, request.headers.get("user-agent", ""))


PublicPage = tuple[UUID, LandingPageRow, int, int]
"""What the public cache keeps of a published page: its organization, its row, the view
counter as read and this process's count of its views then."""


def public_key(tenant_slug: str, page_slug: str) -> tuple[str, str, str]:
    return ("landing", tenant_slug, page_slug)


def public_view(found: PublicPage, views: ViewBuffer, user_agent: str) -> PageOut:
    """The page as a visit sees it, the visit counted (and an AI crawler's noted)."""
    org_id, row, base, counted_then = found
    crawler = is_ai_crawler(user_agent)
    views.add(org_id, LANDING, row.number, crawler)
    seen = base + views.counted(org_id, LANDING, row.number) - counted_then
    return PageOut.of(dataclasses.replace(
        row, view_count=seen,
        last_ai_crawl_at=datetime.now(UTC) if crawler else row.last_ai_crawl_at))


ROUTES = [read_pages, create_page, read_page, update_page, delete_page, regenerate_page,
          read_public_page]

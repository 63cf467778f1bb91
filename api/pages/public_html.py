"""`GET /p/<slug>`: a published HTML page, for anyone, with `{{PAGE_ID}}` replaced by its id.

The HTML is the organization's own, scripts included. A sandboxing Content-Security-Policy
gives the document an opaque origin, so its scripts run but can neither read copydesk's
cookies nor call its API as the visitor. With a pages origin set (`COPYDESK_PAGES_ORIGIN`,
another host than the API's) a page is served only there — asked for on the API's host it
redirects (308) — so the API's host-only auth cookie is never even sent with a page.
"""

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response, get
from litestar.response import Redirect

from adapters.postgres.page_views import HTML, ViewBuffer, is_ai_crawler
from api.dependencies import AppServices
from api.pages.public_cache import public_pages
from domain.errors import NotFoundError
from projections.pages.html_queries import HtmlPageRow, find_html_page

PAGE_ID = "{{PAGE_ID}}"
SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals"


@get("/p/{slug:str}", operation_id="serve_html_page", tags=["html-pages"],
     summary="A published page", security=[], media_type="text/html")
async def serve_page(request: Request[Any, Any, Any], services: AppServices,
                     slug: str) -> Response[str] | Redirect:
    origin = services.settings.pages_origin
    if must_redirect(origin, request.headers.get("host", "")):
        return Redirect(f"{origin}/p/{slug}", status_code=308)

    async def load() -> HtmlPageRow | None:
        async with services.pool.connection() as conn:
            return await find_html_page(conn, None, slug.lower())

    row = await public_pages(services.positions).get(public_key(slug), load)
    if row is None or not row.is_published:
        raise NotFoundError("page not found")
    return Response(visit(row, services.views, request.headers.get("user-agent", "")),
                    media_type="text/html", headers=HEADERS)


HEADERS = {"Content-Security-Policy": SANDBOX, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer"}


def public_key(slug: str) -> tuple[str, str]:
    return ("html", slug.lower())


def must_redirect(origin: str, host: str) -> bool:
    """With a pages origin set, a page asked for on another host is sent there."""
    return bool(origin) and host != urlsplit(origin).netloc


def visit(row: HtmlPageRow, views: ViewBuffer, user_agent: str) -> str:
    """The page's HTML as a visit gets it, the visit counted."""
    views.add(row.org_id, HTML, row.number, is_ai_crawler(user_agent))
    return row.html_content.replace(PAGE_ID, str(row.number))


ROUTES = [serve_page]

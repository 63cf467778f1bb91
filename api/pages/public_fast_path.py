"""The public pages' fast path: a visit to a published page that the process has in memory
is answered here, before the request context, the body checks and the framework — the
visit counted as the routes count it, with the same body and headers. Anything else (a page
not in memory yet, a draft, an unknown slug, a redirect to the pages origin) goes on to the
routes (`public_html`, `landing`), which load, cache and answer it; the next visit is fast.

Each visit is counted (the views), not logged one by one: an access log line costs more
than the rest of such a visit.
"""

from typing import Any

import msgspec

from api.asgi_types import ASGIApp, Receive, Scope, Send
from api.middleware import header, request_id_of
from api.pages.landing import PublicPage, public_key, public_view
from api.pages.public_cache import public_pages
from api.pages.public_html import HEADERS, must_redirect, visit
from api.pages.public_html import public_key as html_key
from projections.pages.html_queries import HtmlPageRow

LANDING_PREFIX = "/api/v1/ai-pages/public/pages/"
HTML_PREFIX = "/p/"
_HTML_HEADERS = [(b"content-type", b"text/html; charset=utf-8"),
                 *((name.lower().encode(), value.encode()) for name, value in HEADERS.items())]
_JSON_HEADERS = [(b"content-type", b"application/json")]
_ENCODER = msgspec.json.Encoder()


class PublicFastPath:
    def __init__(self, app: ASGIApp, litestar: Any) -> None:
        self.app = app
        self.litestar = litestar  # where the services are

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = self._from_memory(scope)
            if answer is not None:
                headers, body = answer
                request_id = request_id_of(scope)
                await send({"type": "http.response.start", "status": 200, "headers": [
                    *headers, (b"content-length", str(len(body)).encode()),
                    (b"x-request-id", request_id.encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _from_memory(self, scope: Scope) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        path: str = scope["path"]
        if path.startswith(HTML_PREFIX):
            slug = path[len(HTML_PREFIX):]
            return None if "/" in slug or not slug else self._html(scope, slug)
        if path.startswith(LANDING_PREFIX):
            parts = path[len(LANDING_PREFIX):].rstrip("/").split("/")
            return self._landing(scope, *parts) if len(parts) == 2 and all(parts) else None
        return None

    def _html(self, scope: Scope, slug: str) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        services = self.litestar.state.services
        if must_redirect(services.settings.pages_origin, header(scope, b"host") or ""):
            return None
        hit, row = public_pages(services.positions).peek(html_key(slug))
        if not hit or not isinstance(row, HtmlPageRow) or not row.is_published:
            return None
        html = visit(row, services.views, header(scope, b"user-agent") or "")
        return _HTML_HEADERS, html.encode()

    def _landing(self, scope: Scope, tenant_slug: str,
                 page_slug: str) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        services = self.litestar.state.services
        hit, found = public_pages(services.positions).peek(public_key(tenant_slug, page_slug))
        if not hit or found is None:
            return None
        page: PublicPage = found
        view = public_view(page, services.views, header(scope, b"user-agent") or "")
        return _JSON_HEADERS, _ENCODER.encode(view)

"""Search over HTTP: semantic product search (`/api/ai-pages/query`), saved queries and
product segments, external product feeds, and the page index (`/v1/pages/…`, `/v1/retrieve`)."""

from api.routers import context_router
from api.search import feeds, pages, product_query, retrieve, saved_queries, segments

router = context_router([*product_query.ROUTES, *saved_queries.ROUTES, *segments.ROUTES,
                         *feeds.ROUTES, *pages.ROUTES, *retrieve.ROUTES])

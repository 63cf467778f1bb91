"""Search over HTTP: semantic product search (`/api/ai-pages/query`), saved queries and
product segments."""

from api.routers import context_router
from api.search import product_query, saved_queries, segments

router = context_router([*product_query.ROUTES, *saved_queries.ROUTES, *segments.ROUTES])

"""Search over HTTP: semantic product search (`/api/ai-pages/query`) and the page index
(`/v1/pages/…`, `/v1/retrieve`)."""

from api.routers import context_router
from api.search import pages, product_query, retrieve

router = context_router([*product_query.ROUTES, *pages.ROUTES, *retrieve.ROUTES])

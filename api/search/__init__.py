"""Search over HTTP: semantic product search (`/api/ai-pages/query`)."""

from api.routers import context_router
from api.search import product_query

router = context_router([*product_query.ROUTES])

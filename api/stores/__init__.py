"""Store integration over HTTP: store connections, imports from a store, syncs back."""

from api.routers import context_router
from api.stores import connections, imports, sync

router = context_router([*connections.ROUTES, *imports.ROUTES, *sync.ROUTES])

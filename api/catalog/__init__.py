"""The catalog over HTTP: projects, sources, items and their review, exports."""

from api.catalog import items, manual_items, project_export, projects, source_export, sources
from api.routers import context_router

router = context_router([
    *projects.ROUTES, *sources.ROUTES, *source_export.ROUTES, *manual_items.ROUTES,
    *items.ROUTES, *project_export.ROUTES,
])

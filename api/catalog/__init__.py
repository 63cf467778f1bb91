"""The catalog over HTTP: projects, sources, items and their review, exports."""

from litestar import Router

from api.catalog import items, project_export, projects, source_export, sources
from api.dependencies import SERVICES

router = Router(path="/", dependencies=SERVICES, route_handlers=[
    *projects.ROUTES, *sources.ROUTES, *source_export.ROUTES, *items.ROUTES, *project_export.ROUTES,
])

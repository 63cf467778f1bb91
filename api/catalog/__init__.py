"""The catalog over HTTP: projects, sources, items and their review, exports."""

from api.catalog import items, manual_items, project_export, projects, source_export, sources

ROUTES = [*projects.ROUTES, *sources.ROUTES, *source_export.ROUTES, *manual_items.ROUTES,
          *items.ROUTES, *project_export.ROUTES]

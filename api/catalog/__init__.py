"""The catalog over HTTP: projects, sources, items and their review, tones, reference lists, exports."""

from api.catalog import items, project_export, projects, reference, source_export, sources, tones

ROUTES = [*tones.ROUTES, *reference.ROUTES, *projects.ROUTES, *sources.ROUTES, *source_export.ROUTES,
          *items.ROUTES, *project_export.ROUTES]

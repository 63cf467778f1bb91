"""Imports over HTTP: upload a store export as a file source, detect its columns, follow the import."""

from api.imports import file_sources

ROUTES = [*file_sources.ROUTES]

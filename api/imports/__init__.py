"""Imports over HTTP: upload a store export as a file source, detect its columns, follow the import."""

from api.imports import file_sources
from api.routers import context_router

router = context_router([*file_sources.ROUTES])

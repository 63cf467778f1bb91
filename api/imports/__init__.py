"""Imports over HTTP: upload a store export as a file source, detect its columns, follow the import."""

from litestar import Router

from api.dependencies import SERVICES
from api.imports import file_sources

router = Router(path="/", dependencies=SERVICES, route_handlers=[*file_sources.ROUTES])

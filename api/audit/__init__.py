"""Audit over HTTP: the organization's event log, for its admins."""

from litestar import Router

from api.audit import log
from api.dependencies import SERVICES

router = Router(path="/", dependencies=SERVICES, route_handlers=[*log.ROUTES])

"""The system over HTTP: health, versions and how far behind each read model is."""

from litestar import Router

from api.dependencies import SERVICES
from api.system import health

router = Router(path="/", dependencies=SERVICES, route_handlers=[*health.ROUTES])

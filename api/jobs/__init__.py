"""Jobs over HTTP: a project's background jobs — list, create, cancel, follow."""

from litestar import Router

from api.dependencies import SERVICES
from api.jobs import jobs

router = Router(path="/", dependencies=SERVICES, route_handlers=[*jobs.ROUTES])

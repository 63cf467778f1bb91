"""The system over HTTP: health, versions and how far behind each read model is."""

from api.routers import context_router
from api.system import health

router = context_router([*health.ROUTES])

"""Jobs over HTTP: a project's background jobs — list, create, cancel, follow."""

from api.jobs import jobs
from api.routers import context_router

router = context_router([*jobs.ROUTES])

"""Jobs over HTTP: a project's background jobs — list, create, cancel, follow."""

from api.jobs import jobs

ROUTES = [*jobs.ROUTES]

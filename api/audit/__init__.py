"""Audit over HTTP: the organization's event log, for its admins."""

from api.audit import log
from api.routers import context_router

router = context_router([*log.ROUTES])

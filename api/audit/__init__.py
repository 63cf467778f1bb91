"""Audit over HTTP: the organization's event log, for its admins."""

from api.audit import log

ROUTES = [*log.ROUTES]

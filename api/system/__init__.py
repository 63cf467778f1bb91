"""The system over HTTP: health, versions and how far behind each read model is."""

from api.system import health

ROUTES = [*health.ROUTES]

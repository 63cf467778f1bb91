"""What each context's router hands its route handlers by parameter name: `services`."""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.params import SkipValidation

from api.services import Services


def services_of(request: ASGIConnection[Any, Any, Any, Any]) -> Services:
    """The services the app made at start-up."""
    services: Services = request.app.state.services
    return services


AppServices = SkipValidation[Services]
"""A route parameter `services: AppServices`: the app's services."""
SERVICES = {"services": Provide(services_of, sync_to_thread=False)}
"""A router's `dependencies`: `services` for every handler under it."""

"""A context's router: its handlers under the app's root, with the services they take and
one OPTIONS handler for every path, listing all its methods (see `api.options`)."""

from typing import Any

from litestar import Router

from api.dependencies import SERVICES
from api.options import options_for


def context_router(handlers: list[Any]) -> Router:
    """The router of one context's `handlers` (no path may be shared with another context)."""
    return Router(path="/", dependencies=SERVICES,
                  route_handlers=[options_for(handlers), *handlers])

"""`OPTIONS` on every route path, answering `Allow` with every method of the path.

Litestar's own OPTIONS handler belongs to the first route handler registered for a path, so it
leaves out the methods of the handlers registered after it; one handler for every path, given
first, takes its place.
"""

from typing import Any

from litestar import Request, Response, route
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute


def options_for(handlers: list[Any]) -> HTTPRouteHandler:
    """The OPTIONS handler of every path of `handlers` (register it before them)."""
    paths = sorted({path for handler in handlers if isinstance(handler, HTTPRouteHandler)
                    for path in handler.paths})

    @route(paths, http_method="OPTIONS", include_in_schema=False, sync_to_thread=False)
    def allowed_methods(request: Request[Any, Any, Any]) -> Response[None]:
        template = request.scope.get("path_template")
        methods = next((r.methods for r in request.app.routes if isinstance(r, HTTPRoute)
                        and template in (r.path, r.path_format)), {"OPTIONS"})
        return Response(None, status_code=204, headers={"Allow": ", ".join(sorted(methods))})

    return allowed_methods

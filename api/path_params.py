"""Which path parameter of a request did not parse, for a 400 that names it.

Litestar's router matches a path segment to any `{name:uuid}` and then parses the values;
one that does not parse becomes a bare 404 (a `NotFoundException` caused by a `ValueError`).
The path did name a route, so the client's mistake is the value: `malformed_parameter`
walks the route map again to say which one.
"""

from typing import Any
from uuid import UUID

from litestar import Request
from litestar._asgi.routing_trie.traversal import traverse_route_map
from litestar.exceptions import HTTPException, NotFoundException

_KINDS: dict[type, str] = {UUID: "a valid UUID", int: "an integer", float: "a number"}


def malformed_parameter(request: Request[Any, Any, Any], exc: HTTPException) -> str | None:
    """"path parameter 'x' is not a valid UUID" when `exc` is the router's 404 for a value
    that did not parse; None for any other error."""
    if not isinstance(exc, NotFoundException) or not isinstance(exc.__cause__, ValueError):
        return None
    router = request.app.asgi_router
    try:
        node, values, _ = traverse_route_map(router.root_route_map_node, request.scope["path"])
        definitions = node.path_parameters[request.method]
    except (NotFoundException, KeyError):
        return None
    for definition, value in zip(definitions, values, strict=False):
        if definition.parser is None:
            continue
        try:
            definition.parser(value)
        except ValueError:
            kind = _KINDS.get(definition.type, f"a valid {definition.type.__name__}")
            return f"path parameter '{definition.name}' is not {kind}"
    return None

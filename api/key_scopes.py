"""Which API-key scope a route needs, and whether a key's scope grants it.

A route belongs to an area: the one its `opt={"scope": …}` names (the page index's routes:
`index`), else the area of its first OpenAPI tag. Reading (GET, HEAD) needs `<area>:read`,
anything else `<area>:write`; write includes read. A key scoped `all` opens every route its
role does; a key made with the older `index` scope opens the index's routes only. A route
whose tag has no area opens for `all` keys only — a test keeps every tag mapped.
"""

from litestar.handlers import BaseRouteHandler

from domain.identity.api_key import ALL, INDEX

SCOPE = "scope"
"""The route option naming the area a route belongs to, over its tag's."""

TAG_AREAS: dict[str, str] = {
    "projects": "catalog", "sources": "catalog", "content": "catalog",
    "generation": "generation", "reference": "generation",
    "jobs": "jobs",
    "billing": "billing", "usage": "billing",
    "organization": "organization", "users": "organization", "invitations": "organization",
    "audit": "organization", "api-keys": "organization", "auth": "organization",
    "health": "organization",
    "search": "search",
    "pages": "pages", "html-pages": "pages",
    "store-connections": "stores", "sync": "stores", "store-import": "stores",
    "blog": "blog",
}
READ_METHODS = frozenset({"GET", "HEAD"})


def required_scope(handler: BaseRouteHandler, method: str) -> str | None:
    """`<area>:read` or `<area>:write` for a call of `handler` with `method`; None when the
    route's tag has no area."""
    area = handler.opt.get(SCOPE)
    if area is None:
        tags = getattr(handler, "tags", None) or []
        area = TAG_AREAS.get(tags[0]) if tags else None
    if area is None:
        return None
    return f"{area}:{'read' if method.upper() in READ_METHODS else 'write'}"


def grants(scope: str, required: str | None) -> bool:
    """Whether a key with `scope` (space-separated) may make a call needing `required`."""
    granted = set(scope.split())
    if ALL in granted:
        return True
    if required is None:
        return False
    area, _, access = required.partition(":")
    return (required in granted or (access == "read" and f"{area}:write" in granted)
            or (area == INDEX and INDEX in granted))

"""Resolves the caller from `Authorization` (JWT or API key) or the `access_token` cookie."""

from typing import Annotated, Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.params import Dependency

from adapters.passwords import token_hash
from api.dependencies import AppServices
from api.key_scopes import grants, required_scope
from api.principal import Principal
from api.services import Services
from api.tokens import API_KEY_PREFIX_LENGTH, InvalidTokenError
from domain.errors import ForbiddenError
from domain.identity.api_key import ALL
from projections.identity.queries import find_api_key, get_caller, touch_api_key


def credential_of(headers: Any, cookies: Any) -> tuple[str, str] | None:
    """("api_key" | "jwt", value) from the request, or None."""
    header = headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "apikey" and value:
        return "api_key", value
    if scheme.lower() == "bearer" and value:
        return ("api_key" if value.startswith("sk_") else "jwt"), value
    cookie = cookies.get("access_token")
    if cookie:
        return "jwt", cookie
    return None


async def resolve_principal(services: Services, headers: Any, cookies: Any) -> Principal | None:
    credential = credential_of(headers, cookies)
    if credential is None:
        return None
    kind, value = credential
    claims: dict[str, Any] = {}
    if kind == "jwt":
        try:
            claims = services.principals.access_claims(services.settings.secret_key, value)
        except InvalidTokenError:
            return None
    key = f"user:{claims['sub']}" if kind == "jwt" else f"key:{token_hash(value)}"
    stamp = services.positions.changed.get("identity", 0)
    principal = services.principals.get(key, stamp) or await _look_up(services, kind, value,
                                                                      claims)
    if principal is None:
        return None
    services.principals.put(key, stamp, principal)
    if kind == "jwt" and str(principal.org_id) != claims.get("org"):
        return None
    if principal.api_key_id and services.principals.should_touch(principal.api_key_id):
        async with services.pool.connection() as conn:
            await touch_api_key(conn, principal.api_key_id)
    return principal


async def _look_up(
    services: Services, kind: str, value: str, claims: dict[str, Any]
) -> Principal | None:
    async with services.pool.connection() as conn:
        if kind == "api_key":
            key = await find_api_key(conn, value[:API_KEY_PREFIX_LENGTH], token_hash(value))
            return None if key is None else Principal(org_id=key.org_id, role=key.role,
                                                      api_key_id=key.key_id, scope=key.scope)
        user = await get_caller(conn, UUID(claims["sub"]))
    if user is None or not user.is_active:
        return None
    return Principal(org_id=user.org_id, role=user.role, user_id=UUID(claims["sub"]))


async def provide_principal(
    request: ASGIConnection[Any, Any, Any, Any], services: AppServices,
) -> Principal:
    """Litestar dependency: the authenticated caller, or 401; 403 for an API key whose scope
    does not open this route (see `key_scopes`).
    It takes `services` itself so that the two are resolved one after the other: Litestar
    resolves independent dependencies in a task group, which costs more than either."""
    cached = request.scope.get("principal")
    principal = cached if isinstance(cached, Principal) else None
    if principal is None:
        principal = await resolve_principal(services, request.headers, request.cookies)
    if principal is None:
        raise NotAuthorizedException("not authenticated: send a valid bearer token or API key")
    request.scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
    if principal.scope != ALL:
        required = required_scope(request.route_handler, str(request.scope.get("method", "GET")))
        if not grants(principal.scope, required):
            raise ForbiddenError(
                f"this API key lacks the scope {required or ALL} (it has {principal.scope})")
    return principal


Caller = Annotated[Principal, Dependency(skip_validation=True)]
"""A route parameter `principal: Caller` with `dependencies=AUTHENTICATED`: the caller."""
AUTHENTICATED = {"principal": provide_principal}

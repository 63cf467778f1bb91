"""Resolves the caller from `Authorization` (JWT or API key) or the `access_token` cookie."""

from typing import Annotated, Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.params import Dependency

from adapters.passwords import token_hash
from api.principal import Principal
from api.services import Services
from api.tokens import API_KEY_PREFIX_LENGTH, InvalidTokenError, read_access_token

_USER = "SELECT org_id, role, is_active FROM rm_identity.users WHERE id = %s"
# a key acts with its creator's current role, and not at all once its creator is inactive
_API_KEY = (
    "SELECT k.id, k.org_id, u.role FROM rm_identity.api_keys k"
    " JOIN credentials c ON c.subject_id = k.id AND c.kind = 'api_key'"
    " JOIN rm_identity.users u ON u.id = k.created_by AND u.org_id = k.org_id AND u.is_active"
    " WHERE k.prefix = %s AND c.secret_hash = %s AND k.is_active AND NOT k.deleted"
)
_TOUCH_KEY = (
    "INSERT INTO api_key_usage (key_id, last_used_at) VALUES (%s, now())"
    " ON CONFLICT (key_id) DO UPDATE SET last_used_at = now()"
    " WHERE api_key_usage.last_used_at < now() - interval '1 minute'"
)


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
            claims = read_access_token(services.settings.secret_key, value)
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
            await conn.execute(_TOUCH_KEY, (principal.api_key_id,))
    return principal


async def _look_up(
    services: Services, kind: str, value: str, claims: dict[str, Any]
) -> Principal | None:
    async with services.pool.connection() as conn:
        if kind == "api_key":
            cur = await conn.execute(_API_KEY, (value[:API_KEY_PREFIX_LENGTH], token_hash(value)))
            row = await cur.fetchone()
            return None if row is None else Principal(org_id=row[1], role=row[2],
                                                      api_key_id=row[0])
        cur = await conn.execute(_USER, (UUID(claims["sub"]),))
        row = await cur.fetchone()
    if row is None or not row[2]:
        return None
    return Principal(org_id=row[0], role=row[1], user_id=UUID(claims["sub"]))


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """Litestar dependency: the authenticated caller, or 401."""
    cached = request.scope.get("principal")
    if isinstance(cached, Principal):
        return cached
    services: Services = request.app.state.services
    principal = await resolve_principal(services, request.headers, request.cookies)
    if principal is None:
        raise NotAuthorizedException("not authenticated: send a valid bearer token or API key")
    request.scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
    return principal


Caller = Annotated[Principal, Dependency(skip_validation=True)]
"""A route parameter `principal: Caller` with `dependencies=AUTHENTICATED`: the caller."""
AUTHENTICATED = {"principal": provide_principal}

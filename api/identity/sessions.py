"""Sessions: the tokens a finished sign-in answers, and revoking them.

Access tokens are short JWTs (also set as an HTTP-only `access_token` cookie); refresh tokens
are opaque, stored as SHA-256 in `refresh_tokens` in families: each use rotates the token
within its family, and a family is revoked as a whole.
"""

from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from psycopg import AsyncConnection

from adapters.passwords import token_hash
from adapters.postgres import refresh_tokens
from api.dependencies import services_of
from api.services import Services
from api.tokens import issue_access_token, new_refresh_token

COOKIE = "access_token"
NO_STORE_HEADERS = {"Cache-Control": "no-store"}


class TokenResponse(msgspec.Struct):
    """The answer of a sign-in step. When a second step is needed, `access_token` is empty,
    `refresh_token` is None and `temp_token` opens that step only."""

    access_token: str
    refresh_token: str | None
    expires_in: int
    token_type: str = "bearer"
    two_factor_required: bool = False
    two_factor_setup_required: bool = False
    two_factor_method: str | None = None
    temp_token: str | None = None


def _is_https(request: Request[Any, Any, Any]) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def revoke_sessions_of(services: Services, user_id: UUID) -> None:
    """Revoke every refresh token of a user (deactivated, or a new password)."""
    async with services.pool.connection() as conn:
        await refresh_tokens.revoke_user(conn, user_id)


async def new_tokens(
    request: Request[Any, Any, Any], conn: AsyncConnection[Any], *, user_id: UUID,
    org_id: UUID, role: str, family_id: UUID,
) -> tuple[TokenResponse, Cookie]:
    """New access + refresh tokens (the refresh one in `family_id`), and the cookie."""
    settings = services_of(request).settings
    refresh = new_refresh_token()
    await refresh_tokens.store(conn, token_hash(refresh), family_id=family_id, user_id=user_id,
                               org_id=org_id, days=settings.refresh_token_days)
    access = issue_access_token(settings.secret_key, user_id=user_id, org_id=org_id, role=role,
                                minutes=settings.access_token_minutes)
    max_age = settings.access_token_minutes * 60
    cookie = Cookie(key=COOKIE, value=access, path="/", max_age=max_age, httponly=True,
                    samesite="lax", secure=_is_https(request))
    return TokenResponse(access_token=access, refresh_token=refresh, expires_in=max_age), cookie


async def issue_tokens(
    request: Request[Any, Any, Any], conn: AsyncConnection[Any], *, user_id: UUID,
    org_id: UUID, role: str, family_id: UUID,
) -> Response[TokenResponse]:
    """The tokens as a response: body, cookie, `Cache-Control: no-store`."""
    body, cookie = await new_tokens(request, conn, user_id=user_id, org_id=org_id, role=role,
                                    family_id=family_id)
    return Response(body, status_code=200, cookies=[cookie], headers=NO_STORE_HEADERS)


async def start_session(
    request: Request[Any, Any, Any], *, user_id: UUID, org_id: UUID, role: str,
) -> Response[TokenResponse]:
    """The tokens of a new session (a new refresh family) after a complete sign-in."""
    async with services_of(request).pool.connection() as conn:
        return await issue_tokens(request, conn, user_id=user_id, org_id=org_id, role=role,
                                  family_id=uuid4())

"""`/api/v1/auth`: sign in with e-mail and password, refresh (rotating), sign out.

Access tokens are short JWTs (also set as an HTTP-only `access_token` cookie); refresh
tokens are opaque, stored as SHA-256 in `refresh_tokens`, and rotate on each use: a used
token presented again revokes its whole family. Failed sign-ins are counted per e-mail in
`login_failures`; at `MAX_FAILURES` within an hour the e-mail is refused with 429.
"""

import math
from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
import msgspec
from litestar import Request, Response, post
from litestar.datastructures import Cookie
from litestar.exceptions import (
    ClientException,
    NotAuthorizedException,
    TooManyRequestsException,
)
from psycopg import AsyncConnection

from adapters.passwords import token_hash, verify_password
from api.commanding import run_command
from api.principal import Principal
from api.services import Services
from api.tokens import issue_access_token, new_refresh_token
from commands.identity_users import RecordLogin, record_login
from domain.errors import DomainError
from projections.identity_queries import find_login_account, get_user

MAX_FAILURES = 100
COOKIE = "access_token"
WRONG_CREDENTIALS = "incorrect email or password"
DEACTIVATED = "this account is deactivated"
INVALID_REFRESH = "invalid or expired refresh token"

_FAILURE_LEAVING_AT = (  # the failure whose leaving the window brings the count below the limit
    "SELECT extract(epoch FROM failed_at + interval '1 hour' - now()) FROM login_failures"
    " WHERE account_key = %s AND failed_at > now() - interval '1 hour'"
    " ORDER BY failed_at DESC OFFSET %s LIMIT 1"
)
_RECORD_FAILURE = "INSERT INTO login_failures (account_key) VALUES (%s)"
_STORE_REFRESH = (
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, org_id, expires_at)"
    " VALUES (%s, %s, %s, %s, now() + make_interval(days => %s))"
)
_TAKE_REFRESH = (
    "SELECT family_id, user_id, org_id, expires_at > now(), used_at IS NOT NULL,"
    " revoked_at IS NOT NULL FROM refresh_tokens WHERE token_hash = %s FOR UPDATE"
)
_MARK_USED = "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = %s"
_REVOKE_USER = (
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL"
)
_REVOKE_FAMILY = (
    "UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id ="
    " (SELECT family_id FROM refresh_tokens WHERE token_hash = %s)"
)


class LoginRequest(msgspec.Struct):
    email: str
    password: str


class RefreshRequest(msgspec.Struct):
    refresh_token: str | None = None


class TokenResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
    two_factor_required: bool = False
    two_factor_setup_required: bool = False
    two_factor_method: str | None = None
    temp_token: str | None = None


async def revoke_sessions_of(services: Services, user_id: UUID) -> None:
    """Revoke every refresh token of a user (deactivated, or a new password)."""
    async with services.pool.connection() as conn:
        await conn.execute(_REVOKE_USER, (user_id,))


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def _is_https(request: Request[Any, Any, Any]) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def _seconds_until_allowed(conn: AsyncConnection[Any], account_key: str) -> int | None:
    """None when this account may try again now, else how long it must wait."""
    cur = await conn.execute(_FAILURE_LEAVING_AT, (account_key, MAX_FAILURES - 1))
    row = await cur.fetchone()
    return None if row is None else max(1, math.ceil(float(row[0])))


async def _issue_tokens(
    request: Request[Any, Any, Any], conn: AsyncConnection[Any], *, user_id: UUID,
    org_id: UUID, role: str, family_id: UUID,
) -> Response[TokenResponse]:
    """New access + refresh tokens (the refresh one in `family_id`), and the cookie."""
    settings = _services(request).settings
    refresh = new_refresh_token()
    await conn.execute(_STORE_REFRESH, (token_hash(refresh), family_id, user_id, org_id,
                                        settings.refresh_token_days))
    access = issue_access_token(settings.secret_key, user_id=user_id, org_id=org_id, role=role,
                                minutes=settings.access_token_minutes)
    max_age = settings.access_token_minutes * 60
    cookie = Cookie(key=COOKIE, value=access, path="/", max_age=max_age, httponly=True,
                    samesite="lax", secure=_is_https(request))
    body = TokenResponse(access_token=access, refresh_token=refresh, expires_in=max_age)
    return Response(body, status_code=200, cookies=[cookie],
                    headers={"Cache-Control": "no-store"})


@post("/api/v1/auth/login", operation_id="login", tags=["auth"], status_code=200,
      summary="Authenticate user credentials")
async def login(request: Request[Any, Any, Any], data: LoginRequest) -> Response[TokenResponse]:
    """Check e-mail and password; answer an access token, a refresh token and the cookie."""
    services = _services(request)
    account_key = token_hash(data.email.strip().lower())
    async with services.pool.connection() as conn:
        wait = await _seconds_until_allowed(conn, account_key)
        if wait is not None:
            raise TooManyRequestsException("too many failed sign-ins; try again later",
                                           headers={"Retry-After": str(wait)})
        account = await find_login_account(conn, data.email)
    stored_hash = account.password_hash if account else None
    password = data.password
    if not await anyio.to_thread.run_sync(lambda: verify_password(stored_hash, password)):
        async with services.pool.connection() as conn:
            await conn.execute(_RECORD_FAILURE, (account_key,))
        raise NotAuthorizedException(WRONG_CREDENTIALS)
    assert account is not None  # verify_password is False without a stored hash
    if not account.is_active:
        raise NotAuthorizedException(DEACTIVATED)
    principal = Principal(org_id=account.org_id, role=account.role, user_id=account.user_id)
    try:
        await run_command(request, principal, record_login,
                          RecordLogin(org_id=account.org_id, user_id=account.user_id),
                          wait_for=())
    except DomainError:  # deactivated (or moved) since the read model last heard of it
        raise NotAuthorizedException(DEACTIVATED) from None
    async with services.pool.connection() as conn:
        return await _issue_tokens(request, conn, user_id=account.user_id,
                                   org_id=account.org_id, role=account.role, family_id=uuid4())


async def _rotate(
    request: Request[Any, Any, Any], conn: AsyncConnection[Any], raw: str,
) -> Response[TokenResponse] | None:
    """Use a refresh token once: the next one of its family, or None (reuse revokes it)."""
    hashed = token_hash(raw)
    cur = await conn.execute(_TAKE_REFRESH, (hashed,))
    row = await cur.fetchone()
    if row is None:
        return None
    family_id, user_id, org_id, unexpired, used, revoked = row
    if revoked or not unexpired:
        return None
    if used:  # stolen or replayed: no token of this family is trusted any more
        await conn.execute(_REVOKE_FAMILY, (hashed,))
        return None
    user = await get_user(conn, org_id, user_id)
    if user is None or not user.is_active:
        await conn.execute(_REVOKE_FAMILY, (hashed,))
        return None
    await conn.execute(_MARK_USED, (hashed,))
    return await _issue_tokens(request, conn, user_id=user.id, org_id=org_id, role=user.role,
                               family_id=family_id)


@post("/api/v1/auth/refresh", operation_id="refresh_token", tags=["auth"], status_code=200,
      summary="Refresh access token")
async def refresh(
    request: Request[Any, Any, Any], data: RefreshRequest | None = None,
) -> Response[TokenResponse]:
    """Trade a refresh token for new access and refresh tokens (the old one is used up)."""
    raw = data.refresh_token if data else None
    if not raw:
        raise ClientException("refresh_token is required")
    async with _services(request).pool.connection() as conn, conn.transaction():
        response = await _rotate(request, conn, raw)
    if response is None:  # raised after the commit, so a revoked family stays revoked
        raise NotAuthorizedException(INVALID_REFRESH)
    return response


@post("/api/v1/auth/logout", operation_id="logout", tags=["auth"], status_code=204,
      summary="Sign out")
async def logout(
    request: Request[Any, Any, Any], data: RefreshRequest | None = None,
) -> Response[None]:
    """Revoke the given refresh token's family (if any) and clear the cookie."""
    if data and data.refresh_token:
        async with _services(request).pool.connection() as conn:
            await conn.execute(_REVOKE_FAMILY, (token_hash(data.refresh_token),))
    response: Response[None] = Response(None, status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


ROUTES = [login, refresh, logout]

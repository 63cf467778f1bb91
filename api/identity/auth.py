"""`/api/v1/auth`: sign in with e-mail and password, refresh (rotating), sign out.

A right password signs in at once, or (2FA on, or enforced by the organization) answers a
short-lived temp token for the second step (`api/identity/two_factor_login.py`). Refresh tokens
rotate on each use: a used token presented again revokes its whole family. Wrong passwords
count towards the account's failures (`api/identity/throttle.py`).
"""

from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Request, Response, post
from litestar.exceptions import ClientException, NotAuthorizedException
from psycopg import AsyncConnection

from adapters.passwords import token_hash, verify_password
from adapters.postgres import refresh_tokens
from api.commanding import run_command
from api.dependencies import AppServices
from api.identity.second_factor import new_email_code_for
from api.identity.sessions import COOKIE, NO_STORE_HEADERS, TokenResponse, issue_tokens, start_session
from api.identity.throttle import account_key, record_failure, refuse_when_throttled
from api.principal import Principal
from api.services import Services
from api.tokens import TWO_FACTOR, TWO_FACTOR_SETUP, issue_temp_token
from commands.identity.sign_in import BeginSignIn, begin_sign_in
from domain.errors import ForbiddenError, NotFoundError
from domain.identity.user import TWO_FACTOR_STEP
from projections.identity.queries import find_login_account, get_user

WRONG_CREDENTIALS = "incorrect email or password"
DEACTIVATED = "this account is deactivated"
INVALID_REFRESH = "invalid or expired refresh token"


class LoginRequest(msgspec.Struct):
    email: str
    password: str


class RefreshRequest(msgspec.Struct):
    refresh_token: str | None = None


def second_step_response(services: Services, *, user_id: UUID, org_id: UUID, step: str,
                         method: str | None) -> Response[TokenResponse]:
    """The answer that asks for a second step: no tokens, a temp token for that step only."""
    token_type = TWO_FACTOR if step == TWO_FACTOR_STEP else TWO_FACTOR_SETUP
    temp = issue_temp_token(services.settings.secret_key, user_id=user_id, org_id=org_id,
                            token_type=token_type, minutes=services.settings.temp_token_minutes)
    body = TokenResponse(
        access_token="", refresh_token=None, expires_in=0, temp_token=temp,
        two_factor_required=step == TWO_FACTOR_STEP,
        two_factor_setup_required=step != TWO_FACTOR_STEP, two_factor_method=method,
    )
    return Response(body, status_code=200, headers=NO_STORE_HEADERS)


@post("/api/v1/auth/login", operation_id="login", tags=["auth"], status_code=200,
      summary="Authenticate user credentials")
async def login(
    request: Request[Any, Any, Any], services: AppServices, data: LoginRequest,
) -> Response[TokenResponse]:
    """Check e-mail and password; answer the tokens and the cookie, or, when a second factor
    (or its setup) is needed, `two_factor_required` / `two_factor_setup_required` and a temp
    token. With the e-mail method a code is sent now."""
    key = account_key(data.email)
    async with services.pool.connection() as conn:
        await refuse_when_throttled(conn, key)
        account = await find_login_account(conn, data.email)
    stored_hash = account.password_hash if account else None
    password = data.password
    if not await anyio.to_thread.run_sync(lambda: verify_password(stored_hash, password)):
        async with services.pool.connection() as conn:
            await record_failure(conn, key)
        raise NotAuthorizedException(WRONG_CREDENTIALS)
    assert account is not None  # verify_password is False without a stored hash
    if not account.is_active:
        raise NotAuthorizedException(DEACTIVATED)
    principal = Principal(org_id=account.org_id, role=account.role, user_id=account.user_id)
    try:
        outcome = await run_command(request, principal, begin_sign_in, BeginSignIn(
            org_id=account.org_id, user_id=account.user_id,
            email_code=new_email_code_for(services, account.user_id),
        ), wait_for=())
    except (ForbiddenError, NotFoundError):  # deactivated since the read model heard of it
        raise NotAuthorizedException(DEACTIVATED) from None
    step = outcome.result
    if step.step is not None:
        return second_step_response(services, user_id=account.user_id, org_id=account.org_id,
                                    step=step.step, method=step.method)
    return await start_session(request, user_id=account.user_id, org_id=account.org_id,
                               role=account.role)


async def _rotate(
    request: Request[Any, Any, Any], conn: AsyncConnection[Any], raw: str,
) -> Response[TokenResponse] | None:
    """Use a refresh token once: the next one of its family, or None (reuse revokes it)."""
    hashed = token_hash(raw)
    token = await refresh_tokens.take(conn, hashed)
    if token is None or token.revoked or not token.unexpired:
        return None
    if token.used:  # stolen or replayed: no token of this family is trusted any more
        await refresh_tokens.revoke_family(conn, hashed)
        return None
    user = await get_user(conn, token.org_id, token.user_id)
    if user is None or not user.is_active:
        await refresh_tokens.revoke_family(conn, hashed)
        return None
    await refresh_tokens.mark_used(conn, hashed)
    return await issue_tokens(request, conn, user_id=user.id, org_id=token.org_id,
                              role=user.role, family_id=token.family_id)


@post("/api/v1/auth/refresh", operation_id="refresh_token", tags=["auth"], status_code=200,
      summary="Refresh access token")
async def refresh(
    request: Request[Any, Any, Any], services: AppServices, data: RefreshRequest | None = None,
) -> Response[TokenResponse]:
    """Trade a refresh token for new access and refresh tokens (the old one is used up)."""
    raw = data.refresh_token if data else None
    if not raw:
        raise ClientException("refresh_token is required")
    async with services.pool.connection() as conn, conn.transaction():
        response = await _rotate(request, conn, raw)
    if response is None:  # raised after the commit, so a revoked family stays revoked
        raise NotAuthorizedException(INVALID_REFRESH)
    return response


@post("/api/v1/auth/logout", operation_id="logout", tags=["auth"], status_code=204,
      summary="Sign out")
async def logout(services: AppServices, data: RefreshRequest | None = None) -> Response[None]:
    """Revoke the given refresh token's family (if any) and clear the cookie."""
    if data and data.refresh_token:
        async with services.pool.connection() as conn:
            await refresh_tokens.revoke_family(conn, token_hash(data.refresh_token))
    response: Response[None] = Response(None, status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


ROUTES = [login, refresh, logout]

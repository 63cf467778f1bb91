"""The second step of a sign-in, opened by the temp token `POST /api/v1/auth/login` answered.

* `POST /api/v1/auth/verify-2fa`: a `2fa` temp token and a TOTP code, the e-mailed code or a
  backup code → the full tokens.
* `POST /api/v1/auth/2fa/setup-with-temp` and `…/confirm-with-temp`: a `2fa_setup` temp token
  (the organization enforces 2FA and the user has none) → set it up; the confirmation answers
  the backup codes and, besides them, the full tokens.
* `POST /api/v1/auth/2fa/resend-email-code`: a new e-mailed code, for the sign-in (a `2fa`
  temp token), an enforced setup (a `2fa_setup` temp token) or a signed-in user's setup.
"""

from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, Response, post
from litestar.exceptions import NotAuthorizedException

from api.auth import resolve_principal
from api.commanding import run_command
from api.dependencies import services_of
from api.identity.auth import DEACTIVATED
from api.identity.second_factor import (
    load_account,
    new_email_code_for,
    passes_second_factor,
    refuse_early_resend,
)
from api.identity.sessions import NO_STORE_HEADERS, TokenResponse, new_tokens, start_session
from api.identity.two_factor import (
    INVALID_CODE,
    NO_STORE,
    MessageResponse,
    SetupResponse,
    begin_setup,
    confirm_setup,
    signed_in_user,
)
from api.principal import Principal
from api.tokens import TWO_FACTOR, TWO_FACTOR_SETUP, InvalidTokenError, read_access_token
from commands.identity.two_factor import SendTwoFactorCode, send_two_factor_code
from commands.identity.users import RecordLogin, record_login
from domain.errors import ForbiddenError, NotFoundError
from domain.identity.two_factor import LOGIN, SETUP
from domain.identity.user import User

INVALID_TEMP = "invalid or expired temp token; sign in again"


class VerifyRequest(msgspec.Struct):
    temp_token: str
    code: str


class TempSetupRequest(msgspec.Struct):
    temp_token: str
    method: str


class ResendRequest(msgspec.Struct):
    temp_token: str | None = None


class ConfirmWithTempResponse(msgspec.Struct):
    """The seed's confirmation (`backup_codes`, `message`) and the session it opens."""

    backup_codes: list[str]
    message: str
    access_token: str
    refresh_token: str | None
    expires_in: int
    token_type: str = "bearer"


async def temp_account(
    request: Request[Any, Any, Any], token: str, *token_types: str,
) -> tuple[User, Principal, str]:
    """The active user a temp token of one of `token_types` names, as a principal, and the
    token's type; 401 for any other token."""
    secret = services_of(request).settings.secret_key
    for token_type in token_types:
        try:
            claims = read_access_token(secret, token, token_type)
            org_id, user_id = UUID(str(claims["org"])), UUID(str(claims["sub"]))
        except (InvalidTokenError, ValueError):
            continue
        user = await load_account(services_of(request), org_id, user_id)
        if user is None or not user.is_active:
            break
        return user, Principal(org_id=org_id, role=user.role, user_id=user.id), token_type
    raise NotAuthorizedException(INVALID_TEMP)


async def _record_login(request: Request[Any, Any, Any], principal: Principal) -> None:
    user_id = principal.require_user()
    try:
        await run_command(request, principal, record_login,
                          RecordLogin(org_id=principal.org_id, user_id=user_id), wait_for=())
    except (ForbiddenError, NotFoundError):
        raise NotAuthorizedException(DEACTIVATED) from None


@post("/api/v1/auth/verify-2fa", operation_id="verify_2fa", tags=["auth"], status_code=200,
      summary="Verify 2FA login code")
async def verify_two_factor(request: Request[Any, Any, Any],
                            data: VerifyRequest) -> Response[TokenResponse]:
    """Second step of a sign-in: a TOTP code, the e-mailed code or a backup code (each valid
    once) for the full tokens; wrong codes count towards the account's failed attempts."""
    user, principal, _ = await temp_account(request, data.temp_token, TWO_FACTOR)
    if user.two_factor.active_method is None:
        raise NotAuthorizedException(INVALID_TEMP)
    if not await passes_second_factor(services_of(request), user, data.code, LOGIN):
        raise NotAuthorizedException(INVALID_CODE)
    await _record_login(request, principal)
    return await start_session(request, user_id=user.id, org_id=principal.org_id, role=user.role)


@post("/api/v1/auth/2fa/setup-with-temp", operation_id="setup_2fa_with_temp", tags=["auth"],
      status_code=200, summary="Begin 2FA setup via temp token", cache_control=NO_STORE)
async def setup_with_temp(request: Request[Any, Any, Any],
                          data: TempSetupRequest) -> SetupResponse:
    """Begin the 2FA setup an organization requires, during sign-in."""
    user, principal, _ = await temp_account(request, data.temp_token, TWO_FACTOR_SETUP)
    return await begin_setup(request, principal, user, data.method)


@post("/api/v1/auth/2fa/confirm-with-temp", operation_id="confirm_2fa_with_temp",
      tags=["auth"], status_code=200, summary="Confirm 2FA setup via temp token")
async def confirm_with_temp(request: Request[Any, Any, Any],
                            data: VerifyRequest) -> Response[ConfirmWithTempResponse]:
    """Confirm the required setup with a code; answers the backup codes (once) and the tokens
    of the session the sign-in opens."""
    user, principal, _ = await temp_account(request, data.temp_token, TWO_FACTOR_SETUP)
    confirmed = await confirm_setup(request, principal, user, data.code)
    await _record_login(request, principal)
    async with services_of(request).pool.connection() as conn:
        tokens, cookie = await new_tokens(request, conn, user_id=user.id,
                                          org_id=principal.org_id, role=user.role,
                                          family_id=uuid4())
    body = ConfirmWithTempResponse(
        backup_codes=confirmed.backup_codes, message=confirmed.message,
        access_token=tokens.access_token, refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in)
    return Response(body, status_code=200, cookies=[cookie], headers=NO_STORE_HEADERS)


@post("/api/v1/auth/2fa/resend-email-code", operation_id="resend_2fa_email_code",
      tags=["auth"], status_code=200, summary="Resend 2FA email code")
async def resend_email_code(request: Request[Any, Any, Any],
                            data: ResendRequest | None = None) -> MessageResponse:
    """A new e-mailed code (the previous one stops working): with a `2fa` temp token for the
    sign-in, with a `2fa_setup` one for the enforced setup, or signed in for one's own setup.
    429 with `Retry-After` when asked again too soon."""
    services = services_of(request)
    if data is not None and data.temp_token:
        user, principal, token_type = await temp_account(request, data.temp_token, TWO_FACTOR,
                                                         TWO_FACTOR_SETUP)
        purpose = LOGIN if token_type == TWO_FACTOR else SETUP
    else:
        caller = await resolve_principal(services, request.headers, request.cookies)
        if caller is None:
            raise NotAuthorizedException("send a temp token, or sign in")
        principal, purpose = caller, SETUP
        user = await signed_in_user(request, principal)
    await refuse_early_resend(services, user.id, purpose)
    await run_command(request, principal, send_two_factor_code, SendTwoFactorCode(
        org_id=principal.org_id, user_id=user.id, purpose=purpose,
        email_code=new_email_code_for(services, user.id),
    ), wait_for=())
    return MessageResponse(message=f"A new code was sent to {user.email}.")


ROUTES = [verify_two_factor, setup_with_temp, confirm_with_temp, resend_email_code]

"""`/api/v1/auth/2fa`: the signed-in user's own two-factor authentication.

Set up (TOTP: a secret and its `otpauth://` URI, answered once; e-mail: a code is sent),
confirm with a code (answers ten backup codes, once), and turn it off with a code or a backup
code unless the organization enforces 2FA. `POST /api/v1/auth/2fa/send-disable-code` e-mails
the code that turns the e-mail method off. The same setup steps serve the sign-in of a user
whose organization enforces 2FA (`two_factor_login.py`).
"""

from typing import Any

import msgspec
from litestar import Request, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException

from adapters.one_time_codes import CodeDigests, new_backup_codes
from adapters.secret_box import SecretBox
from adapters.totp import new_secret, provisioning_uri
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import services_of
from api.identity.second_factor import (
    load_account,
    new_email_code_for,
    passes_second_factor,
    refuse_early_resend,
)
from api.principal import Principal
from commands.identity.two_factor import (
    BACKUP_CODE_COUNT,
    BeginTwoFactorSetup,
    ConfirmTwoFactor,
    DisableTwoFactor,
    SendTwoFactorCode,
    begin_two_factor_setup,
    confirm_two_factor,
    disable_two_factor,
    send_two_factor_code,
)
from domain.errors import ConflictError, ForbiddenError, NotFoundError
from domain.identity.two_factor import DISABLE, SETUP, check_method
from domain.identity.user import ENFORCED, NOT_ENABLED, User
from projections.identity.queries import get_organization

INVALID_CODE = "invalid or expired two-factor code"
NO_STORE = CacheControlHeader(no_store=True)


class SetupRequest(msgspec.Struct):
    method: str


class CodeRequest(msgspec.Struct):
    code: str


class SetupResponse(msgspec.Struct):
    method: str
    secret: str | None
    otpauth_uri: str | None
    message: str


class ConfirmResponse(msgspec.Struct):
    backup_codes: list[str]
    message: str


class MessageResponse(msgspec.Struct):
    message: str


async def signed_in_user(request: Request[Any, Any, Any], principal: Principal) -> User:
    user = await load_account(services_of(request), principal.org_id, principal.require_user())
    if user is None:
        raise NotFoundError("user not found")
    return user


async def begin_setup(
    request: Request[Any, Any, Any], principal: Principal, user: User, method: str,
) -> SetupResponse:
    """Start a setup of `method` for `user`; the TOTP secret is in this answer only."""
    services = services_of(request)
    secret = new_secret() if check_method(method) == "totp" else ""
    if secret:
        box = SecretBox(services.settings.secret_key)
        command = BeginTwoFactorSetup(
            org_id=principal.org_id, user_id=user.id, method=method,
            sealed_secret=box.seal(secret), secret_fingerprint=box.fingerprint(secret))
    else:
        await refuse_early_resend(services, user.id, SETUP)
        command = BeginTwoFactorSetup(org_id=principal.org_id, user_id=user.id, method=method,
                                      email_code=new_email_code_for(services, user.id))
    await run_command(request, principal, begin_two_factor_setup, command, wait_for=())
    if secret:
        return SetupResponse(
            method=method, secret=secret,
            otpauth_uri=provisioning_uri(secret, user.email, services.settings.totp_issuer),
            message="Add the secret to an authenticator app, then confirm with a code it shows.")
    return SetupResponse(method=method, secret=None, otpauth_uri=None,
                         message=f"A verification code was sent to {user.email}.")


async def confirm_setup(
    request: Request[Any, Any, Any], principal: Principal, user: User, code: str,
) -> ConfirmResponse:
    """Turn on the setup in progress (or a suspended method) with a code of that method."""
    services = services_of(request)
    method = user.two_factor.confirmable_method
    if method is None:
        raise ConflictError("no two-factor setup is in progress; start one first")
    if not await passes_second_factor(services, user, code, SETUP):
        raise ClientException(INVALID_CODE)
    codes = new_backup_codes(BACKUP_CODE_COUNT)
    digests = CodeDigests(services.settings.secret_key)
    await run_command(request, principal, confirm_two_factor, ConfirmTwoFactor(
        org_id=principal.org_id, user_id=user.id, method=method,
        backup_code_hashes=tuple(digests.backup_digest(user.id, c) for c in codes),
    ), wait_for=("identity",))
    return ConfirmResponse(
        backup_codes=codes,
        message="Two-factor authentication is on. Keep these backup codes somewhere safe: "
                "each works once, and they are not shown again.")


@post("/api/v1/auth/2fa/setup", operation_id="setup_2fa", tags=["auth"], status_code=200,
      summary="Begin 2FA setup", dependencies=AUTHENTICATED, cache_control=NO_STORE)
async def setup(request: Request[Any, Any, Any], principal: Caller,
                data: SetupRequest) -> SetupResponse:
    """Begin setting up `totp` (answers the secret and its URI) or `email` (sends a code)."""
    user = await signed_in_user(request, principal)
    return await begin_setup(request, principal, user, data.method)


@post("/api/v1/auth/2fa/confirm", operation_id="confirm_2fa", tags=["auth"], status_code=200,
      summary="Confirm 2FA setup", dependencies=AUTHENTICATED, cache_control=NO_STORE)
async def confirm(request: Request[Any, Any, Any], principal: Caller,
                  data: CodeRequest) -> ConfirmResponse:
    """Confirm the setup with a code of the new method; answers the backup codes, once. After
    an admin suspended 2FA, a code of the kept method turns it on again without a new setup."""
    user = await signed_in_user(request, principal)
    return await confirm_setup(request, principal, user, data.code)


@post("/api/v1/auth/2fa/disable", operation_id="disable_2fa", tags=["auth"], status_code=200,
      summary="Disable two-factor authentication", dependencies=AUTHENTICATED)
async def disable(request: Request[Any, Any, Any], principal: Caller,
                  data: CodeRequest) -> MessageResponse:
    """Turn 2FA off with a current code (TOTP, or the e-mailed disable code) or a backup
    code; 403 when the organization enforces 2FA."""
    services = services_of(request)
    user = await signed_in_user(request, principal)
    if user.two_factor.code_method(DISABLE) is None:
        raise ConflictError(NOT_ENABLED)
    async with services.pool.connection() as conn:
        org = await get_organization(conn, principal.org_id)
    if org is not None and org.enforce_2fa:  # before a code is spent; the command checks again
        raise ForbiddenError(ENFORCED)
    if not await passes_second_factor(services, user, data.code, DISABLE):
        raise ClientException(INVALID_CODE)
    await run_command(request, principal, disable_two_factor,
                      DisableTwoFactor(org_id=principal.org_id, user_id=user.id),
                      wait_for=("identity",))
    return MessageResponse(message="Two-factor authentication is off.")


@post("/api/v1/auth/2fa/send-disable-code", operation_id="send_2fa_disable_code",
      tags=["auth"], status_code=200, summary="Send 2FA disable code",
      dependencies=AUTHENTICATED)
async def send_disable_code(request: Request[Any, Any, Any],
                            principal: Caller) -> MessageResponse:
    """E-mail the code that turns the e-mail method off (409 for TOTP: use the app's code)."""
    services = services_of(request)
    user = await signed_in_user(request, principal)
    await refuse_early_resend(services, user.id, DISABLE)
    await run_command(request, principal, send_two_factor_code, SendTwoFactorCode(
        org_id=principal.org_id, user_id=user.id, purpose=DISABLE,
        email_code=new_email_code_for(services, user.id),
    ), wait_for=())
    return MessageResponse(message=f"A code to turn off two-factor authentication was sent to "
                                   f"{user.email}.")


ROUTES = [setup, confirm, disable, send_disable_code]

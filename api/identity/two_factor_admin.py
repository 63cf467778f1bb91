"""`/api/v1/users/{user_id}/2fa`: an admin's say over a user's two-factor authentication.

* `POST …/2fa/disable` suspends the check at sign-in and keeps the secret: the user signs in
  with the password alone, and turns 2FA back on with a code of the kept method
  (`POST /api/v1/auth/2fa/confirm`), without a new setup.
* `POST …/2fa/reset` removes it: secret, backup codes and any setup in progress.

Only a signed-in admin (not an API key); another organization's user answers 404.
"""

from typing import Any
from uuid import UUID

from litestar import Request, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.guards import admin_user_only
from api.identity.two_factor import MessageResponse
from commands.identity.two_factor import (
    ResetTwoFactor,
    SuspendTwoFactor,
    reset_two_factor,
    suspend_two_factor,
)


@post("/api/v1/users/{user_id:uuid}/2fa/disable", operation_id="disable_user_2fa",
      tags=["users"], status_code=200, summary="Disable user 2FA", dependencies=AUTHENTICATED,
      guards=[admin_user_only])
async def suspend_user_two_factor(request: Request[Any, Any, Any], principal: Caller,
                                  user_id: UUID) -> MessageResponse:
    """Suspend a user's 2FA check, keeping the secret for re-enabling (admin)."""
    actor_id = principal.require_user()
    await run_command(request, principal, suspend_two_factor, SuspendTwoFactor(
        org_id=principal.org_id, user_id=user_id, actor_id=actor_id), wait_for=("identity",))
    return MessageResponse(message="Two-factor authentication is suspended for this user; "
                                   "the user can turn it back on with a code.")


@post("/api/v1/users/{user_id:uuid}/2fa/reset", operation_id="reset_user_2fa", tags=["users"],
      status_code=200, summary="Reset user 2FA", dependencies=AUTHENTICATED,
      guards=[admin_user_only])
async def reset_user_two_factor(request: Request[Any, Any, Any], principal: Caller,
                                user_id: UUID) -> MessageResponse:
    """Remove a user's 2FA entirely; the user sets it up again if wanted or required (admin)."""
    actor_id = principal.require_user()
    await run_command(request, principal, reset_two_factor, ResetTwoFactor(
        org_id=principal.org_id, user_id=user_id, actor_id=actor_id), wait_for=("identity",))
    return MessageResponse(message="Two-factor authentication was reset for this user.")


ROUTES = [suspend_user_two_factor, reset_user_two_factor]

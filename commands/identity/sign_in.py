"""Signing in after a right password: signed in at once, or a second step first."""

import dataclasses
from uuid import UUID

from commands.identity.organization import load_user
from commands.identity.two_factor import EmailCode, send_code
from commands.unit_of_work import UnitOfWork
from domain.identity.organization import Organization
from domain.identity.two_factor import LOGIN
from domain.identity.user import TWO_FACTOR_STEP


@dataclasses.dataclass(frozen=True, kw_only=True)
class BeginSignIn:
    """`email_code` is sent only if the user's second factor is the e-mail method."""

    org_id: UUID
    user_id: UUID
    email_code: EmailCode


@dataclasses.dataclass(frozen=True, kw_only=True)
class SignInStep:
    """`step`: None (signed in), "two_factor" (a code of `method`) or "two_factor_setup"."""

    step: str | None
    method: str | None = None


def begin_sign_in(uow: UnitOfWork, cmd: BeginSignIn) -> SignInStep:
    """Record the login, or ask for a code (e-mailing one for the e-mail method), or ask for a
    2FA setup when the organization enforces it and the user has none."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    step = user.sign_in_step(org_enforces_2fa=org.enforce_2fa)
    if step is None:
        user.record_login()
        return SignInStep(step=None)
    method = user.two_factor.active_method if step == TWO_FACTOR_STEP else None
    if method == "email":
        send_code(uow, user, LOGIN, cmd.email_code)
    return SignInStep(step=step, method=method)

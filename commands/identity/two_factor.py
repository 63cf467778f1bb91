"""Identity commands for two-factor authentication: set up, confirm, e-mail a code, disable,
and an admin's suspend and reset.

Secrets arrive prepared by `api/`: the TOTP secret sealed, codes as keyed digests. They are
written beside the events in the same transaction; the events only tell what happened.
"""

import dataclasses
from uuid import UUID

from adapters.postgres import secrets, two_factor_codes
from commands.identity.organization import load_user
from commands.mail import queue_mail
from commands.unit_of_work import UnitOfWork
from domain.errors import InvalidCommandError
from domain.identity.organization import Organization
from domain.identity.two_factor import DISABLE, LOGIN, SETUP
from domain.identity.user import User

BACKUP_CODE_COUNT = 10

SUBJECTS = {
    LOGIN: "Your sign-in code",
    SETUP: "Your code to turn on two-factor authentication",
    DISABLE: "Your code to turn off two-factor authentication",
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class EmailCode:
    """A new one-time code to e-mail: the code itself (for the mail only) and its digest."""

    code: str = dataclasses.field(repr=False)
    code_hash: str = dataclasses.field(repr=False)
    valid_seconds: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class BeginTwoFactorSetup:
    """`sealed_secret`: the new TOTP secret, encrypted (method totp); `email_code` (email)."""

    org_id: UUID
    user_id: UUID
    method: str
    sealed_secret: bytes | None = dataclasses.field(default=None, repr=False)
    secret_fingerprint: str = ""
    email_code: EmailCode | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConfirmTwoFactor:
    """`method`: the one the route checked the code against; the backup codes' digests."""

    org_id: UUID
    user_id: UUID
    method: str
    backup_code_hashes: tuple[str, ...] = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SendTwoFactorCode:
    org_id: UUID
    user_id: UUID
    purpose: str
    email_code: EmailCode


@dataclasses.dataclass(frozen=True, kw_only=True)
class DisableTwoFactor:
    org_id: UUID
    user_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class SuspendTwoFactor:
    org_id: UUID
    user_id: UUID
    actor_id: UUID | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResetTwoFactor:
    org_id: UUID
    user_id: UUID
    actor_id: UUID | None


def begin_two_factor_setup(uow: UnitOfWork, cmd: BeginTwoFactorSetup) -> User:
    """Start a setup: keep the sealed TOTP secret as pending, or e-mail a code."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    user.begin_two_factor_setup(cmd.method)
    if cmd.method == "totp":
        if not cmd.sealed_secret:
            raise InvalidCommandError("a TOTP setup needs a sealed secret")
        uow.write_beside(secrets.seal(user.id, "totp_pending", cmd.org_id, cmd.sealed_secret,
                                      cmd.secret_fingerprint))
    else:
        if cmd.email_code is None:
            raise InvalidCommandError("an e-mail setup needs a code to send")
        uow.write_beside(secrets.drop(user.id, "totp_pending"))
        send_code(uow, user, SETUP, cmd.email_code)
    return user


def confirm_two_factor(uow: UnitOfWork, cmd: ConfirmTwoFactor) -> int:
    """Turn 2FA on with a new set of backup codes; the set's generation."""
    if len(cmd.backup_code_hashes) != BACKUP_CODE_COUNT:
        raise InvalidCommandError(f"a set of backup codes has {BACKUP_CODE_COUNT} codes")
    user = load_user(uow, cmd.org_id, cmd.user_id)
    adopts_pending_secret = user.two_factor.pending_method == "totp"
    generation = user.confirm_two_factor(cmd.method)
    if cmd.method == "totp" and adopts_pending_secret:
        uow.write_beside(secrets.drop(user.id, "totp"))
        uow.write_beside(secrets.adopt_pending_totp(user.id))
    elif cmd.method == "email":
        for purpose in ("totp", "totp_pending"):
            uow.write_beside(secrets.drop(user.id, purpose))
    uow.write_beside(two_factor_codes.drop_email_codes(user.id))
    uow.write_beside(two_factor_codes.drop_backup_codes(user.id))
    uow.write_beside(two_factor_codes.store_backup_codes(user.id, cmd.org_id, generation,
                                                         list(cmd.backup_code_hashes)))
    return generation


def send_two_factor_code(uow: UnitOfWork, cmd: SendTwoFactorCode) -> User:
    """E-mail a new code for `purpose` (it replaces the previous one for that purpose)."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    send_code(uow, user, cmd.purpose, cmd.email_code)
    return user


def disable_two_factor(uow: UnitOfWork, cmd: DisableTwoFactor) -> User:
    """The user turns 2FA off (the route checked a code); refused if the organization enforces it."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    user.disable_two_factor(org_enforces_2fa=org.enforce_2fa)
    forget_second_factor(uow, user.id)
    return user


def suspend_two_factor(uow: UnitOfWork, cmd: SuspendTwoFactor) -> User:
    """An admin suspends a user's 2FA check; the secret and backup codes are kept."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    user.suspend_two_factor(cmd.actor_id)
    return user


def reset_two_factor(uow: UnitOfWork, cmd: ResetTwoFactor) -> User:
    """An admin removes a user's 2FA: secret, backup codes and pending setup are dropped."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    user.reset_two_factor(cmd.actor_id)
    forget_second_factor(uow, user.id)
    return user


def send_code(uow: UnitOfWork, user: User, purpose: str, email_code: EmailCode) -> None:
    """Record the sending, keep the code's digest, and queue the mail that carries it."""
    user.send_two_factor_code(purpose)
    assert user.org_id is not None
    uow.write_beside(two_factor_codes.store_email_code(
        user.id, purpose, user.org_id, email_code.code_hash, email_code.valid_seconds))
    minutes = max(1, email_code.valid_seconds // 60)
    lasts = f"{minutes} minute" + ("s" if minutes > 1 else "")
    queue_mail(uow, org_id=user.org_id, to=user.email, subject=SUBJECTS[purpose], kind="2fa_code",
               body=f"Your verification code is {email_code.code}\n\n"
                    f"It expires in {lasts} and can be used once. If you did not ask for it,"
                    " change your password.\n")


def forget_second_factor(uow: UnitOfWork, user_id: UUID) -> None:
    for purpose in ("totp", "totp_pending"):
        uow.write_beside(secrets.drop(user_id, purpose))
    uow.write_beside(two_factor_codes.drop_email_codes(user_id))
    uow.write_beside(two_factor_codes.drop_backup_codes(user_id))
    uow.write_beside(two_factor_codes.drop_totp_steps(user_id))

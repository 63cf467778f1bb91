"""Checking a second factor against a user's 2FA state.

A TOTP code is accepted once: the time-step it belongs to must be later than the last one the
user used (a replay is refused and logged, without the code). An e-mailed code is used once,
before it expires, within a few tries. A backup code is used once. Each check is one atomic
statement, so two requests with the same code cannot both pass. A wrong code counts as a
failed sign-in attempt of the account (`api/identity/throttle.py`).
"""

import time
from uuid import UUID

import anyio.to_thread
import structlog
from litestar.exceptions import TooManyRequestsException

from adapters.one_time_codes import CodeDigests, is_email_code, new_email_code
from adapters.postgres import secrets, two_factor_codes
from adapters.secret_box import SecretBox
from adapters.totp import matching_step
from api.identity.throttle import account_key, record_failure, refuse_when_throttled
from api.services import Services
from commands.identity.two_factor import EmailCode
from domain.identity.two_factor import SETUP
from domain.identity.user import User

log = structlog.get_logger("copydesk.two_factor")

MAX_CODE_LENGTH = 64
MAX_EMAIL_CODE_ATTEMPTS = 5


async def load_account(services: Services, org_id: UUID, user_id: UUID) -> User | None:
    """The user as the event store has it (not the read model: 2FA decisions must be current);
    None when it does not exist or belongs to another organization."""
    user = await anyio.to_thread.run_sync(
        lambda: User.rebuild(user_id, services.store.load(user_id)))
    return user if user.exists and user.org_id == org_id else None


def new_email_code_for(services: Services, user_id: UUID) -> EmailCode:
    """A fresh code to e-mail to a user, with its digest and how long it is valid."""
    code = new_email_code()
    digest = CodeDigests(services.settings.secret_key).digest(user_id, code)
    return EmailCode(code=code, code_hash=digest,
                     valid_seconds=services.settings.email_code_seconds)


async def refuse_early_resend(services: Services, user_id: UUID, purpose: str) -> None:
    """429 with `Retry-After` when a code for `purpose` was sent too recently."""
    async with services.pool.connection() as conn:
        wait = await two_factor_codes.seconds_until_resend(
            conn, user_id, purpose, services.settings.email_code_resend_seconds)
    if wait is not None and wait > 0:
        raise TooManyRequestsException("a code was sent moments ago; wait before asking again",
                                       headers={"Retry-After": str(wait)})


async def passes_second_factor(services: Services, user: User, code: str, purpose: str) -> bool:
    """Whether `code` is a valid second factor for `purpose`; a wrong one counts as a failed
    attempt. 429 (before checking) when the account has used up its failures."""
    key = account_key(user.email)
    async with services.pool.connection() as conn:
        await refuse_when_throttled(conn, key)
    if await check_code(services, user, code, purpose):
        return True
    async with services.pool.connection() as conn:
        await record_failure(conn, key)
    log.info("second_factor_refused", user_id=str(user.id), org_id=str(user.org_id),
             purpose=purpose)
    return False


async def check_code(services: Services, user: User, code: str, purpose: str) -> bool:
    method = user.two_factor.code_method(purpose)
    typed = "".join(code.split())
    if method is None or not typed or len(typed) > MAX_CODE_LENGTH:
        return False
    if is_email_code(typed):
        if method == "totp":
            return await _check_totp(services, user, typed, purpose)
        return await _check_email_code(services, user, typed, purpose)
    if purpose == SETUP:  # a setup is confirmed by the new method itself, not a backup code
        return False
    return await _use_backup_code(services, user, typed)


async def _check_totp(services: Services, user: User, code: str, purpose: str) -> bool:
    pending = purpose == SETUP and user.two_factor.pending_method == "totp"
    async with services.pool.connection() as conn:
        sealed = await secrets.sealed(conn, user.id, "totp_pending" if pending else "totp",
                                      org_id=user.org_id)
        if sealed is None:
            return False
        try:
            secret = SecretBox(services.settings.secret_key).open(sealed)
        except ValueError:  # sealed under another secret key: the user needs an admin reset
            log.error("totp_secret_unreadable", user_id=str(user.id), org_id=str(user.org_id))
            return False
        step = matching_step(secret, code, time.time())
        if step is None:
            return False
        assert user.org_id is not None
        if not await two_factor_codes.claim_totp_step(conn, user.id, user.org_id, step):
            log.warning("totp_replay_refused", user_id=str(user.id), org_id=str(user.org_id),
                        purpose=purpose, step=step)
            return False
    return True


async def _check_email_code(services: Services, user: User, code: str, purpose: str) -> bool:
    digest = CodeDigests(services.settings.secret_key).digest(user.id, code)
    async with services.pool.connection() as conn:
        if await two_factor_codes.use_email_code(conn, user.id, purpose, digest,
                                                 MAX_EMAIL_CODE_ATTEMPTS):
            return True
        await two_factor_codes.count_email_attempt(conn, user.id, purpose)
    return False


async def _use_backup_code(services: Services, user: User, code: str) -> bool:
    digest = CodeDigests(services.settings.secret_key).backup_digest(user.id, code)
    async with services.pool.connection() as conn:
        assert user.org_id is not None
        used = await two_factor_codes.use_backup_code(
            conn, user.id, user.org_id, user.two_factor.backup_codes_generation, digest)
    if used:
        log.info("backup_code_used", user_id=str(user.id), org_id=str(user.org_id))
    return used

"""The one-time codes of two-factor authentication (0006): e-mailed codes
(`two_factor_email_codes`), backup codes (`two_factor_backup_codes`) and the last TOTP time-step
each user used (`two_factor_totp_steps`).

Commands write them beside their events (the `SideWrite`s below); a sign-in step uses a code
up with one atomic statement, so two requests with the same code cannot both pass.
"""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.log import SideWrite

EMAIL_CODE_SQL = (
    "INSERT INTO two_factor_email_codes (user_id, purpose, org_id, code_hash, expires_at)"
    " VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))"
    " ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash,"
    " expires_at = EXCLUDED.expires_at, attempts = 0, sent_at = now()"
)
DROP_EMAIL_CODES_SQL = "DELETE FROM two_factor_email_codes WHERE user_id = %s"
DROP_BACKUP_CODES_SQL = "DELETE FROM two_factor_backup_codes WHERE user_id = %s"
BACKUP_CODES_SQL = (
    "INSERT INTO two_factor_backup_codes (user_id, org_id, generation, code_hash)"
    " SELECT %s, %s, %s, unnest(%s::text[])"
)
DROP_TOTP_STEPS_SQL = "DELETE FROM two_factor_totp_steps WHERE user_id = %s"
_CLAIM_STEP = (
    "INSERT INTO two_factor_totp_steps (user_id, org_id, last_step) VALUES (%s, %s, %s)"
    " ON CONFLICT (user_id) DO UPDATE SET last_step = EXCLUDED.last_step, used_at = now()"
    " WHERE two_factor_totp_steps.last_step < EXCLUDED.last_step RETURNING 1"
)
_USE_EMAIL_CODE = (
    "DELETE FROM two_factor_email_codes WHERE user_id = %s AND purpose = %s AND code_hash = %s"
    " AND expires_at > now() AND attempts < %s RETURNING 1"
)
_COUNT_EMAIL_ATTEMPT = (
    "UPDATE two_factor_email_codes SET attempts = attempts + 1 WHERE user_id = %s AND purpose = %s"
)
_RESEND_WAIT = (
    "SELECT ceil(extract(epoch FROM sent_at + make_interval(secs => %s) - now()))"
    " FROM two_factor_email_codes WHERE user_id = %s AND purpose = %s"
)
_USE_BACKUP_CODE = (
    "UPDATE two_factor_backup_codes SET used_at = now() WHERE user_id = %s AND org_id = %s"
    " AND generation = %s AND code_hash = %s AND used_at IS NULL RETURNING 1"
)
_PURGE_EMAIL_CODES = "DELETE FROM two_factor_email_codes WHERE expires_at < now()"


def store_email_code(user_id: UUID, purpose: str, org_id: UUID, code_hash: str,
                     valid_seconds: int) -> SideWrite:
    """Keep a sent code's digest (it replaces the user's previous code for `purpose`)."""
    return SideWrite(EMAIL_CODE_SQL, (user_id, purpose, org_id, code_hash, valid_seconds))


def drop_email_codes(user_id: UUID) -> SideWrite:
    return SideWrite(DROP_EMAIL_CODES_SQL, (user_id,))


def store_backup_codes(user_id: UUID, org_id: UUID, generation: int,
                       code_hashes: list[str]) -> SideWrite:
    return SideWrite(BACKUP_CODES_SQL, (user_id, org_id, generation, code_hashes))


def drop_backup_codes(user_id: UUID) -> SideWrite:
    return SideWrite(DROP_BACKUP_CODES_SQL, (user_id,))


def drop_totp_steps(user_id: UUID) -> SideWrite:
    return SideWrite(DROP_TOTP_STEPS_SQL, (user_id,))


async def claim_totp_step(conn: AsyncConnection[Any], user_id: UUID, org_id: UUID,
                          step: int) -> bool:
    """Record `step` as the user's last TOTP step; False when it is not later (a replay)."""
    cur = await conn.execute(_CLAIM_STEP, (user_id, org_id, step))
    return await cur.fetchone() is not None


async def use_email_code(conn: AsyncConnection[Any], user_id: UUID, purpose: str,
                         code_hash: str, max_attempts: int) -> bool:
    """Use the code up if it is the current, unexpired one and not tried too often."""
    cur = await conn.execute(_USE_EMAIL_CODE, (user_id, purpose, code_hash, max_attempts))
    return await cur.fetchone() is not None


async def count_email_attempt(conn: AsyncConnection[Any], user_id: UUID, purpose: str) -> None:
    await conn.execute(_COUNT_EMAIL_ATTEMPT, (user_id, purpose))


async def seconds_until_resend(conn: AsyncConnection[Any], user_id: UUID, purpose: str,
                               resend_seconds: int) -> int | None:
    """How long until a new code for `purpose` may be sent (≤ 0: now); None: none was sent."""
    cur = await conn.execute(_RESEND_WAIT, (resend_seconds, user_id, purpose))
    row = await cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])


async def use_backup_code(conn: AsyncConnection[Any], user_id: UUID, org_id: UUID,
                          generation: int, code_hash: str) -> bool:
    """Use the code up if it is an unused one of the user's current set."""
    cur = await conn.execute(_USE_BACKUP_CODE, (user_id, org_id, generation, code_hash))
    return await cur.fetchone() is not None


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget e-mailed codes past their expiry; how many."""
    cur = await conn.execute(_PURGE_EMAIL_CODES)
    return cur.rowcount

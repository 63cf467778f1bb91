"""The `refresh_tokens` table (0001): refresh tokens as SHA-256, in families. Each use rotates
the token within its family; a family is revoked as a whole."""

import dataclasses
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

_STORE = (
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, org_id, expires_at)"
    " VALUES (%s, %s, %s, %s, now() + make_interval(days => %s))"
)
_REVOKE_USER = (
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL"
)
_TAKE = (
    "SELECT family_id, user_id, org_id, expires_at > now(), used_at IS NOT NULL,"
    " revoked_at IS NOT NULL FROM refresh_tokens WHERE token_hash = %s FOR UPDATE"
)
_MARK_USED = "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = %s"
_REVOKE_FAMILY = (
    "UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id ="
    " (SELECT family_id FROM refresh_tokens WHERE token_hash = %s)"
)
_PURGE = "DELETE FROM refresh_tokens WHERE expires_at < now()"


@dataclasses.dataclass(frozen=True, kw_only=True)
class RefreshToken:
    family_id: UUID
    user_id: UUID
    org_id: UUID
    unexpired: bool
    used: bool
    revoked: bool


async def store(conn: AsyncConnection[Any], token_hash: str, *, family_id: UUID, user_id: UUID,
                org_id: UUID, days: int) -> None:
    await conn.execute(_STORE, (token_hash, family_id, user_id, org_id, days))


async def take(conn: AsyncConnection[Any], token_hash: str) -> RefreshToken | None:
    """The token with this hash, locked until the transaction ends; None if unknown."""
    cur = await conn.execute(_TAKE, (token_hash,))
    row = await cur.fetchone()
    if row is None:
        return None
    return RefreshToken(family_id=row[0], user_id=row[1], org_id=row[2], unexpired=row[3],
                        used=row[4], revoked=row[5])


async def mark_used(conn: AsyncConnection[Any], token_hash: str) -> None:
    await conn.execute(_MARK_USED, (token_hash,))


async def revoke_family(conn: AsyncConnection[Any], token_hash: str) -> None:
    """Revoke every token of the family the token with this hash belongs to."""
    await conn.execute(_REVOKE_FAMILY, (token_hash,))


async def revoke_user(conn: AsyncConnection[Any], user_id: UUID) -> None:
    await conn.execute(_REVOKE_USER, (user_id,))


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget tokens past their expiry; how many."""
    cur = await conn.execute(_PURGE)
    return cur.rowcount

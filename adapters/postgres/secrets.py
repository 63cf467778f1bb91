"""The `secrets` table (0002): sealed secrets beside the events, one per owner and purpose.

A user's TOTP secret (`totp`, and `totp_pending` during a setup) and an organization's own AI
provider keys (`ai_key:<provider>`) are kept here encrypted with the secret box; commands
write them beside their events (the `SideWrite`s below), readers open them when they need
them in clear.
"""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.log import SideWrite

SEAL_SQL = (
    "INSERT INTO secrets (owner_id, purpose, org_id, ciphertext, fingerprint)"
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (owner_id, purpose) DO UPDATE SET"
    " org_id = EXCLUDED.org_id, ciphertext = EXCLUDED.ciphertext,"
    " fingerprint = EXCLUDED.fingerprint, updated_at = now()"
)
DROP_SQL = "DELETE FROM secrets WHERE owner_id = %s AND purpose = %s"
ADOPT_PENDING_TOTP_SQL = (
    "UPDATE secrets SET purpose = 'totp', updated_at = now()"
    " WHERE owner_id = %s AND purpose = 'totp_pending'"
)
_ONE = "SELECT ciphertext FROM secrets WHERE owner_id = %s AND purpose = %s"
_ONE_OF_ORG = "SELECT ciphertext FROM secrets WHERE owner_id = %s AND org_id = %s AND purpose = %s"
_ALL_LIKE = ("SELECT purpose, ciphertext FROM secrets WHERE owner_id = %s AND purpose LIKE %s"
             " ORDER BY purpose")


def seal(owner_id: UUID, purpose: str, org_id: UUID, ciphertext: bytes,
         fingerprint: str) -> SideWrite:
    """Keep a sealed secret (it replaces the owner's previous one for `purpose`)."""
    return SideWrite(SEAL_SQL, (owner_id, purpose, org_id, ciphertext, fingerprint))


def drop(owner_id: UUID, purpose: str) -> SideWrite:
    return SideWrite(DROP_SQL, (owner_id, purpose))


def adopt_pending_totp(user_id: UUID) -> SideWrite:
    """The pending TOTP secret of a confirmed setup becomes the user's TOTP secret."""
    return SideWrite(ADOPT_PENDING_TOTP_SQL, (user_id,))


async def sealed(conn: AsyncConnection[Any], owner_id: UUID, purpose: str,
                 org_id: UUID | None = None) -> bytes | None:
    """The owner's sealed secret for `purpose` (of `org_id` only, when given), or None."""
    cur = await (conn.execute(_ONE, (owner_id, purpose)) if org_id is None
                 else conn.execute(_ONE_OF_ORG, (owner_id, org_id, purpose)))
    row = await cur.fetchone()
    return None if row is None else bytes(row[0])


async def sealed_by_prefix(conn: AsyncConnection[Any], owner_id: UUID,
                           prefix: str) -> list[tuple[str, bytes]]:
    """(purpose, sealed secret) of the owner's secrets whose purpose begins with `prefix`."""
    cur = await conn.execute(_ALL_LIKE, (owner_id, prefix + "%"))
    return [(purpose, bytes(ciphertext)) for purpose, ciphertext in await cur.fetchall()]

"""The `idempotency_keys` table (0001): per organization and `Idempotency-Key`, the request's
fingerprint and, once it is done, the response to replay; kept for `KEEP`."""

import dataclasses
import json
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

KEEP = "24 hours"
_FORGET_EXPIRED = ("DELETE FROM idempotency_keys WHERE org_id = %s AND key = %s"
                   f" AND created_at < now() - interval '{KEEP}'")
_CLAIM = ("INSERT INTO idempotency_keys (org_id, key, request_hash) VALUES (%s, %s, %s)"
          " ON CONFLICT DO NOTHING RETURNING 1")
_GET = ("SELECT request_hash, state, status, headers, body FROM idempotency_keys"
        " WHERE org_id = %s AND key = %s")
_FORGET = "DELETE FROM idempotency_keys WHERE org_id = %s AND key = %s"
_FINISH = ("UPDATE idempotency_keys SET state = 'done', status = %s, headers = %s,"
           " body = %s WHERE org_id = %s AND key = %s")
_PURGE = f"DELETE FROM idempotency_keys WHERE created_at < now() - interval '{KEEP}'"


@dataclasses.dataclass(frozen=True, kw_only=True)
class KeptRequest:
    """`state` is "done" once the response is kept; `body` None: it held a secret."""

    request_hash: str
    state: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes | None


async def claim(conn: AsyncConnection[Any], org_id: UUID, key: str, request_hash: str) -> bool:
    """Record the first request with this key (one kept longer than `KEEP` is forgotten
    first); False when the key is taken."""
    await conn.execute(_FORGET_EXPIRED, (org_id, key))
    cur = await conn.execute(_CLAIM, (org_id, key, request_hash))
    return await cur.fetchone() is not None


async def get(conn: AsyncConnection[Any], org_id: UUID, key: str) -> KeptRequest | None:
    cur = await conn.execute(_GET, (org_id, key))
    row = await cur.fetchone()
    if row is None:
        return None
    return KeptRequest(request_hash=row[0], state=row[1], status=row[2],
                       headers=[(k, v) for k, v in row[3] or []],
                       body=None if row[4] is None else bytes(row[4]))


async def forget(conn: AsyncConnection[Any], org_id: UUID, key: str) -> None:
    await conn.execute(_FORGET, (org_id, key))


async def finish(conn: AsyncConnection[Any], org_id: UUID, key: str, *, status: int,
                 headers: list[tuple[str, str]], body: bytes | None) -> None:
    """Keep the response of the first request (`body` None: answer a repeat 409)."""
    await conn.execute(_FINISH, (status, json.dumps(headers), body, org_id, key))


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget keys older than `KEEP`; how many."""
    cur = await conn.execute(_PURGE)
    return cur.rowcount

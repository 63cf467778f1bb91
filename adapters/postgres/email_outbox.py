"""The `email_outbox` table (0003): mail commands queue beside their events, for the worker to
deliver (`workers/mail.py`). A sent mail's row is deleted (bodies hold codes and links); one
given up on stays "dead", its body emptied and never due again, for an operator to see."""

import dataclasses
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.log import SideWrite

CHANNEL = "email_outbox"
"""Notified when mail is queued, so a waiting worker wakes."""
OUTBOX_SQL = (
    "INSERT INTO email_outbox (org_id, recipient, subject, body, kind) VALUES (%s, %s, %s, %s, %s)"
)
WAKE_SQL = "SELECT pg_notify('email_outbox', '')"
_TAKE = (
    "SELECT id, recipient, subject, body, kind, attempts FROM email_outbox"
    " WHERE not_before <= now() AND attempts < %s ORDER BY not_before, id LIMIT 1"
    " FOR UPDATE SKIP LOCKED"
)
_DONE = "DELETE FROM email_outbox WHERE id = %s"
_RETRY = (
    "UPDATE email_outbox SET attempts = %s, last_error = %s,"
    " not_before = now() + make_interval(secs => %s) WHERE id = %s"
)
_DEAD = (
    "UPDATE email_outbox SET attempts = %s, last_error = %s, body = '', not_before = 'infinity'"
    " WHERE id = %s"
)
_NEXT_DUE = (
    "SELECT extract(epoch FROM min(not_before) - now()) FROM email_outbox"
    " WHERE attempts < %s AND not_before < 'infinity'"
)
_PURGE_DEAD = (
    "DELETE FROM email_outbox WHERE not_before = 'infinity' AND created_at < now() - interval '30 days'"
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class QueuedMail:
    id: int
    recipient: str
    subject: str
    body: str = dataclasses.field(repr=False)
    kind: str
    attempts: int


def queue(org_id: UUID | None, to: str, subject: str, body: str, kind: str) -> SideWrite:
    return SideWrite(OUTBOX_SQL, (org_id, to, subject, body, kind))


def wake() -> SideWrite:
    return SideWrite(WAKE_SQL, ())


async def take_due(conn: AsyncConnection[Any], max_attempts: int) -> QueuedMail | None:
    """The next due mail nobody else holds, locked until the transaction ends; None if none."""
    cur = await conn.execute(_TAKE, (max_attempts,))
    row = await cur.fetchone()
    if row is None:
        return None
    return QueuedMail(id=row[0], recipient=row[1], subject=row[2], body=row[3], kind=row[4],
                      attempts=row[5])


async def forget_sent(conn: AsyncConnection[Any], outbox_id: int) -> None:
    await conn.execute(_DONE, (outbox_id,))


async def retry_later(conn: AsyncConnection[Any], outbox_id: int, attempts: int, error: str,
                      delay_seconds: float) -> None:
    await conn.execute(_RETRY, (attempts, error, delay_seconds, outbox_id))


async def give_up(conn: AsyncConnection[Any], outbox_id: int, attempts: int, error: str) -> None:
    await conn.execute(_DEAD, (attempts, error, outbox_id))


async def seconds_until_due(conn: AsyncConnection[Any], max_attempts: int) -> float | None:
    """How long until the next mail still to try falls due (≤ 0: now); None: there is none."""
    cur = await conn.execute(_NEXT_DUE, (max_attempts,))
    row = await cur.fetchone()
    return None if row is None or row[0] is None else float(row[0])


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget mail given up on more than 30 days ago; how many."""
    cur = await conn.execute(_PURGE_DEAD)
    return cur.rowcount

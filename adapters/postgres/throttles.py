"""The `login_failures` table (0001): one row per failed sign-in attempt of an account (a
wrong password or code), kept for an hour."""

from typing import Any

from psycopg import AsyncConnection

_FAILURE_LEAVING_AT = (  # the failure whose leaving the window brings the count below the limit
    "SELECT extract(epoch FROM failed_at + interval '1 hour' - now()) FROM login_failures"
    " WHERE account_key = %s AND failed_at > now() - interval '1 hour'"
    " ORDER BY failed_at DESC OFFSET %s LIMIT 1"
)
_RECORD_FAILURE = "INSERT INTO login_failures (account_key) VALUES (%s)"
_PURGE = "DELETE FROM login_failures WHERE failed_at < now() - interval '1 hour'"


async def seconds_until_below(conn: AsyncConnection[Any], account_key: str,
                              limit: int) -> float | None:
    """None when the account has fewer than `limit` failures within the hour, else the
    seconds until enough of them have left the window."""
    cur = await conn.execute(_FAILURE_LEAVING_AT, (account_key, limit - 1))
    row = await cur.fetchone()
    return None if row is None else float(row[0])


async def record_failure(conn: AsyncConnection[Any], account_key: str) -> None:
    await conn.execute(_RECORD_FAILURE, (account_key,))


async def purge_expired(conn: AsyncConnection[Any]) -> int:
    """Forget failures older than the hour they count in; how many."""
    cur = await conn.execute(_PURGE)
    return cur.rowcount

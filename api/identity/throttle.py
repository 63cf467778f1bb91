"""Failed sign-in attempts of an account, passwords and one-time codes together.

Every wrong password (login) and every wrong code (second step, 2FA confirm and disable) is a
row in `login_failures` under the account's key; at `MAX_FAILURES` within an hour the account
is refused with 429 and `Retry-After` until the oldest of them leaves the window.
"""

import math
from typing import Any

from litestar.exceptions import TooManyRequestsException
from psycopg import AsyncConnection

from adapters.passwords import token_hash
from adapters.postgres import throttles

MAX_FAILURES = 100
TOO_MANY = "too many failed sign-in attempts; try again later"


def account_key(email: str) -> str:
    """The key failures are counted under: a digest of the e-mail (so unknown ones count too)."""
    return token_hash(email.strip().lower())


async def seconds_until_allowed(conn: AsyncConnection[Any], key: str) -> int | None:
    """None when this account may try again now, else how long it must wait."""
    wait = await throttles.seconds_until_below(conn, key, MAX_FAILURES)
    return None if wait is None else max(1, math.ceil(wait))


async def refuse_when_throttled(conn: AsyncConnection[Any], key: str) -> None:
    """429 with `Retry-After` when the account has used up its failures."""
    wait = await seconds_until_allowed(conn, key)
    if wait is not None:
        raise TooManyRequestsException(TOO_MANY, headers={"Retry-After": str(wait)})


async def record_failure(conn: AsyncConnection[Any], key: str) -> None:
    await throttles.record_failure(conn, key)

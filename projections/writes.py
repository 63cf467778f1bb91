"""The statements a projection makes for one batch, sent to PostgreSQL together.

`add` keeps statements in the order of the events; consecutive runs of one statement go as
one `executemany`. `insert` is for rows that depend on nothing else in the batch (ledger or
audit lines, written with ON CONFLICT DO NOTHING): they are sent after the ordered
statements, one `executemany` per statement.
"""

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from psycopg import AsyncCursor

Params = Sequence[Any]


class Writes:
    def __init__(self) -> None:
        self.ordered: list[tuple[str, Params]] = []
        self.rows: dict[str, list[Params]] = {}

    def add(self, sql: str, params: Params = ()) -> None:
        self.ordered.append((sql, params))

    def insert(self, sql: str, params: Params) -> None:
        self.rows.setdefault(sql, []).append(params)

    async def flush(self, cur: AsyncCursor[Any]) -> None:
        for sql, run in groupby(self.ordered, key=lambda statement: statement[0]):
            await _send(cur, sql, [params for _, params in run])
        for sql, rows in self.rows.items():
            await _send(cur, sql, rows)
        self.ordered.clear()
        self.rows.clear()


async def _send(cur: AsyncCursor[Any], sql: str, params: list[Params]) -> None:
    if len(params) == 1:
        await cur.execute(sql, params[0])
    else:
        await cur.executemany(sql, params)

"""The statements a projection makes for one batch, sent to PostgreSQL together.

`add` keeps statements in the order of the events; consecutive runs of one statement go as
one `executemany`, and consecutive rows of one `MultiRow` as multi-row INSERTs (so that a
statement-level trigger fires once per statement, not once per row). `insert` is for rows
that depend on nothing else in the batch (ledger or audit lines, written with ON CONFLICT DO
NOTHING): they are sent after the ordered statements, one `executemany` per statement.
"""

import dataclasses
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from psycopg import AsyncCursor

Params = Sequence[Any]
MAX_PARAMS = 30_000
"""Parameters per multi-row statement (PostgreSQL allows 65,535)."""


@dataclasses.dataclass(frozen=True)
class MultiRow:
    """`INSERT … VALUES` written once per run of rows: `head` up to VALUES, `row` one row's
    placeholders ("(%s, %s::jsonb)"), `tail` what follows the rows (ON CONFLICT …)."""

    head: str
    row: str
    tail: str = ""

    def chunks(self, rows: list[Params]) -> list[tuple[str, list[Any]]]:
        width = max(1, len(rows[0]))
        per = max(1, MAX_PARAMS // width)
        out = []
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            sql = f"{self.head} {', '.join([self.row] * len(part))} {self.tail}"
            out.append((sql, [value for row in part for value in row]))
        return out


class Writes:
    def __init__(self) -> None:
        self.ordered: list[tuple[str | MultiRow, Params]] = []
        self.rows: dict[str, list[Params]] = {}

    def add(self, sql: str | MultiRow, params: Params = ()) -> None:
        self.ordered.append((sql, params))

    def insert(self, sql: str, params: Params) -> None:
        self.rows.setdefault(sql, []).append(params)

    async def flush(self, cur: AsyncCursor[Any]) -> None:
        for sql, run in groupby(self.ordered, key=lambda statement: statement[0]):
            rows = [params for _, params in run]
            if isinstance(sql, MultiRow):
                for text, values in sql.chunks(rows):
                    await cur.execute(text, values)
            else:
                await _send(cur, sql, rows)
        for sql, rows in self.rows.items():
            await _send(cur, sql, rows)
        self.ordered.clear()
        self.rows.clear()


async def _send(cur: AsyncCursor[Any], sql: str, params: list[Params]) -> None:
    if len(params) == 1:
        await cur.execute(sql, params[0])
    else:
        await cur.executemany(sql, params)

"""The statements a projection makes for one batch, sent to PostgreSQL together.

`add` keeps statements in the order of the events; consecutive runs of one statement go as
one `executemany`, and consecutive rows of one `MultiRow` as one INSERT of arrays (so that a
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


@dataclasses.dataclass(frozen=True)
class MultiRow:
    """An INSERT written once per run of rows, as `<head> SELECT * FROM unnest(<one array per
    column>) <tail>`: `head` names the table and columns, `types` the columns' SQL types,
    `tail` what follows (ON CONFLICT …). A short statement whatever the number of rows."""

    head: str
    types: tuple[str, ...]
    tail: str = ""

    def statement(self, rows: list[Params]) -> tuple[str, list[list[Any]]]:
        # binary: text arrays would be quoted in Python and parsed again by the server
        arrays = ", ".join(f"%b::{kind}[]" for kind in self.types)
        columns = [list(column) for column in zip(*rows, strict=True)]
        return f"{self.head} SELECT * FROM unnest({arrays}) {self.tail}", columns


class Writes:
    def __init__(self) -> None:
        self.ordered: list[tuple[str | MultiRow, Params]] = []
        self.rows: dict[str | MultiRow, list[Params]] = {}

    def add(self, sql: str | MultiRow, params: Params = ()) -> None:
        self.ordered.append((sql, params))

    def insert(self, sql: str | MultiRow, params: Params) -> None:
        self.rows.setdefault(sql, []).append(params)

    async def flush(self, cur: AsyncCursor[Any]) -> None:
        for sql, run in groupby(self.ordered, key=lambda statement: statement[0]):
            await _send(cur, sql, [params for _, params in run])
        for sql, rows in self.rows.items():
            await _send(cur, sql, rows)
        self.ordered.clear()
        self.rows.clear()


async def _send(cur: AsyncCursor[Any], sql: str | MultiRow, params: list[Params]) -> None:
    if isinstance(sql, MultiRow):
        await cur.execute(*sql.statement(params))
    elif len(params) == 1:
        await cur.execute(sql, params[0])
    else:
        await cur.executemany(sql, params)

"""The statements a projection makes for one batch, sent to PostgreSQL together.

`add` keeps statements in the order of the events; consecutive runs of one statement go as
one `executemany`, and consecutive rows of one `MultiRow` as one INSERT of arrays (so that a
statement-level trigger fires once per statement, not once per row). `insert` is for rows
that depend on nothing else in the batch (ledger or audit lines, written with ON CONFLICT DO
NOTHING): they are sent after the ordered statements, one `executemany` per statement.
`total` is for running sums (balances): the deltas of each key are added up over the batch
and sent last, one UPDATE for all keys.
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


@dataclasses.dataclass(frozen=True)
class Totals:
    """Sums added to rows once per batch: `statement` is an `UPDATE … FROM unnest(<the keys>,
    <one array per delta>, <the times>)`, `types` the arrays' SQL types. Addition commutes, so
    the sums are the same whatever the batch holds; the time sent is the latest of each key's
    (the statement keeps the greater of it and the row's)."""

    statement: str
    types: tuple[str, ...]

    def arrays(self, sums: dict[Any, list[Any]]) -> tuple[str, list[list[Any]]]:
        arrays = ", ".join(f"%b::{kind}[]" for kind in self.types)
        columns = [[key for key in sums], *map(list, zip(*sums.values(), strict=True))]
        return self.statement.replace("{arrays}", arrays), columns


class Writes:
    def __init__(self) -> None:
        self.ordered: list[tuple[str | MultiRow, Params]] = []
        self.rows: dict[str | MultiRow, list[Params]] = {}
        self.totals: dict[Totals, dict[Any, list[Any]]] = {}

    def add(self, sql: str | MultiRow, params: Params = ()) -> None:
        self.ordered.append((sql, params))

    def insert(self, sql: str | MultiRow, params: Params) -> None:
        self.rows.setdefault(sql, []).append(params)

    def total(self, totals: Totals, key: Any, deltas: Params, at: Any) -> None:
        """Add `deltas` to the row of `key` (after every other statement of the batch)."""
        sums = self.totals.setdefault(totals, {})
        current = sums.get(key)
        if current is None:
            sums[key] = [*deltas, at]
        else:
            current[:-1] = [a + b for a, b in zip(current[:-1], deltas, strict=True)]
            current[-1] = max(current[-1], at)

    async def flush(self, cur: AsyncCursor[Any]) -> None:
        for sql, run in groupby(self.ordered, key=lambda statement: statement[0]):
            await _send(cur, sql, [params for _, params in run])
        for sql, rows in self.rows.items():
            await _send(cur, sql, rows)
        for totals, sums in self.totals.items():
            await cur.execute(*totals.arrays(sums))
        self.ordered.clear()
        self.rows.clear()
        self.totals.clear()


async def _send(cur: AsyncCursor[Any], sql: str | MultiRow, params: list[Params]) -> None:
    if isinstance(sql, MultiRow):
        await cur.execute(*sql.statement(params))
    elif len(params) == 1:
        await cur.execute(sql, params[0])
    else:
        await cur.executemany(sql, params)

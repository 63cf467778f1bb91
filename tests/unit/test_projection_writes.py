"""A projection's writes keep the events' order and travel in as few calls as that allows."""

import asyncio
from decimal import Decimal
from typing import Any

from projections.writes import Totals, Writes


class RecordingCursor:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[Any]]] = []

    async def execute(self, sql: str, params: Any) -> None:
        self.calls.append(("execute", sql, [params]))

    async def executemany(self, sql: str, params: list[Any]) -> None:
        self.calls.append(("executemany", sql, params))


def test_ordered_statements_keep_their_order_and_runs_go_together() -> None:
    writes = Writes()
    for sql, n in [("A", 1), ("A", 2), ("B", 3), ("A", 4), ("A", 5)]:
        writes.add(sql, (n,))
    cursor = RecordingCursor()
    asyncio.run(writes.flush(cursor))  # type: ignore[arg-type]
    assert cursor.calls == [("executemany", "A", [(1,), (2,)]), ("execute", "B", [(3,)]),
                            ("executemany", "A", [(4,), (5,)])]


def test_independent_rows_are_sent_after_the_ordered_statements_one_call_each() -> None:
    writes = Writes()
    writes.insert("LEDGER", (1,))
    writes.add("MOVE", (1,))
    writes.insert("LEDGER", (2,))
    writes.add("MOVE", (2,))
    cursor = RecordingCursor()
    asyncio.run(writes.flush(cursor))  # type: ignore[arg-type]
    assert cursor.calls == [("executemany", "MOVE", [(1,), (2,)]),
                            ("executemany", "LEDGER", [(1,), (2,)])]
    assert not writes.ordered and not writes.rows


def test_totals_are_summed_per_key_with_the_latest_time_and_sent_last_in_one_call() -> None:
    move = Totals("UPDATE t SET n = n + d.n FROM unnest({arrays}) AS d(k, n, at)",
                  ("uuid", "numeric", "timestamptz"))
    writes = Writes()
    writes.total(move, "org-a", (Decimal("1.50"),), 3)
    writes.add("OPEN", ("org-b",))
    writes.total(move, "org-b", (Decimal("2"),), 1)
    writes.total(move, "org-a", (Decimal("-0.50"),), 2)
    writes.insert("LEDGER", (1,))
    cursor = RecordingCursor()
    asyncio.run(writes.flush(cursor))  # type: ignore[arg-type]
    assert cursor.calls == [
        ("execute", "OPEN", [("org-b",)]),
        ("execute", "LEDGER", [(1,)]),
        ("execute", "UPDATE t SET n = n + d.n FROM unnest(%b::uuid[], %b::numeric[],"
                    " %b::timestamptz[]) AS d(k, n, at)",
         [[["org-a", "org-b"], [Decimal("1.00"), Decimal("2")], [3, 1]]]),
    ]
    assert not writes.totals

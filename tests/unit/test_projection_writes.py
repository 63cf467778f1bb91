"""A projection's writes keep the events' order and travel in as few calls as that allows."""

import asyncio
from typing import Any

from projections.writes import Writes


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

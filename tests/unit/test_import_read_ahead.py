"""The import reads its file a batch ahead, in a thread: same items, same order, the
reader's error after the items before it, and a consumer that stops early stops the reader."""

import threading
from collections.abc import Iterator

import pytest

from commands.imports.kind import read_ahead
from domain.errors import MalformedInputError


def numbers(upto: int, closed: list[str], fail_at: int | None = None) -> Iterator[int]:
    try:
        for n in range(upto):
            if n == fail_at:
                raise MalformedInputError(f"line {n}: broken")
            yield n
    finally:
        closed.append(threading.current_thread().name)


def test_every_item_arrives_in_order_and_the_source_is_closed() -> None:
    closed: list[str] = []
    assert list(read_ahead(numbers(1000, closed), depth=2)) == list(range(1000))
    assert closed == ["catalog-reader"]


def test_the_readers_error_comes_after_the_items_before_it() -> None:
    closed: list[str] = []
    got: list[int] = []
    with pytest.raises(MalformedInputError, match="line 5: broken"):
        for n in read_ahead(numbers(10, closed, fail_at=5)):
            got.append(n)
    assert got == [0, 1, 2, 3, 4] and closed == ["catalog-reader"]


def test_stopping_early_stops_and_closes_the_reader() -> None:
    closed: list[str] = []
    items = read_ahead(numbers(10**9, closed), depth=1)
    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()  # type: ignore[attr-defined]
    assert closed == ["catalog-reader"]
    assert not any(t.name == "catalog-reader" for t in threading.enumerate())

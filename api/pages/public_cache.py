"""Published pages kept in the API process for the public routes, so a visit costs no query.

An entry is valid while the read models it was read from (pages, and identity for the
organization's slug) show no change since it was read — `ProjectionPositions` learns of
every change by LISTEN/NOTIFY, so an edit, an unpublish or a deletion is seen on the next
visit after its projection commits — and for at most `MAX_AGE` seconds, after which the view
counter it carries (which changes beside the read models) is read again.
"""

import collections
import time
from collections.abc import Awaitable, Callable
from typing import Any

from api.consistency import ProjectionPositions

MAX_AGE = 1.0
SIZE = 2048
SOURCES = ("pages", "identity")


class PublicPages:
    def __init__(self, positions: ProjectionPositions) -> None:
        self._positions = positions
        self._entries: collections.OrderedDict[Any, tuple[tuple[int, ...], float, Any]] = (
            collections.OrderedDict())

    def _mark(self) -> tuple[int, ...]:
        return tuple(self._positions.changed.get(name, 0) for name in SOURCES)

    def peek(self, key: Any) -> tuple[bool, Any]:
        """(True, the value) while `key`'s entry is valid, else (False, None): nothing loads."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == self._mark() and time.monotonic() - entry[1] < MAX_AGE:
            return True, entry[2]
        return False, None

    async def get(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        """The value `load()` gives for `key`, from memory while still valid."""
        mark, now = self._mark(), time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == mark and now - entry[1] < MAX_AGE:
            self._entries.move_to_end(key)
            return entry[2]
        value = await load()  # the mark was taken before: a change during the load is seen
        self._entries[key] = (mark, now, value)
        self._entries.move_to_end(key)
        while len(self._entries) > SIZE:
            self._entries.popitem(last=False)
        return value


_CACHES: dict[int, PublicPages] = {}


def public_pages(positions: ProjectionPositions) -> PublicPages:
    """The process's cache (one per `ProjectionPositions`, i.e. per set of services)."""
    cache = _CACHES.get(id(positions))
    if cache is None:
        cache = _CACHES[id(positions)] = PublicPages(positions)
    return cache

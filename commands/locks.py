"""In-process turns for commands on the same aggregate.

Optimistic concurrency stays the rule between processes; inside one process, commands on
one aggregate queue behind each other from load to append instead of racing and retrying.
A lock not had within `WAIT_SECONDS` is skipped (the store still refuses a stale write), so
two commands that load the same aggregates in opposite orders can never deadlock.
"""

from __future__ import annotations

import threading
from uuid import UUID

STRIPES = 1024
WAIT_SECONDS = 0.5


class AggregateLocks:
    def __init__(self) -> None:
        self._stripes = [threading.Lock() for _ in range(STRIPES)]

    def acquire(self, aggregate_id: UUID) -> threading.Lock | None:
        lock = self._stripes[aggregate_id.int % STRIPES]
        return lock if lock.acquire(timeout=WAIT_SECONDS) else None

"""In-process turns for commands on the same aggregate.

Optimistic concurrency stays the rule between processes; inside one process, commands on
one aggregate queue behind each other from load to append instead of racing and retrying.
A lock not had within `WAIT_SECONDS` is skipped (the store still refuses a stale write), so
two commands that load the same aggregates in opposite orders can never deadlock.

A command that loads many aggregates (a batch of items) takes turns on its first
`MAX_HELD` only, and none more after one wait timed out: past that, it relies on optimistic
concurrency alone, so two large batches never wait on each other stripe after stripe.
"""

from __future__ import annotations

import threading
from uuid import UUID

STRIPES = 1024
WAIT_SECONDS = 0.5
MAX_HELD = 16


class AggregateLocks:
    def __init__(self) -> None:
        self._stripes = [threading.Lock() for _ in range(STRIPES)]

    def stripe(self, aggregate_id: UUID) -> threading.Lock:
        """The lock an aggregate shares with others (not reentrant: check before taking)."""
        return self._stripes[aggregate_id.int % STRIPES]


class HeldLocks:
    """The stripes one unit of work holds, released together after its append."""

    def __init__(self, locks: AggregateLocks) -> None:
        self._locks = locks
        self._held: list[threading.Lock] = []
        self._gave_up = False

    def take(self, aggregate_id: UUID) -> None:
        lock = self._locks.stripe(aggregate_id)
        if self._gave_up or len(self._held) >= MAX_HELD or lock in self._held:
            return  # (a stripe held already would wait on itself: the lock is not reentrant)
        if lock.acquire(timeout=WAIT_SECONDS):
            self._held.append(lock)
        else:
            self._gave_up = True

    def release(self) -> None:
        for lock in reversed(self._held):
            lock.release()
        self._held.clear()

"""Jobs as a worker last saw them, so the per-unit checks (cancelled? done already?) cost no
query per unit: a job is read again from the store at most every `ttl` seconds, and then only
its new events are folded in."""

import asyncio
import time
from collections import OrderedDict
from uuid import UUID

from domain.jobs.job import COMPLETED, FAILED, Job
from domain.log import EventStore

SETTLED = frozenset({COMPLETED, FAILED})
"""A job in these states takes no outcome any more: no need to read it again."""


class JobCache:
    MAX_JOBS = 64

    def __init__(self, store: EventStore, ttl: float = 0.25) -> None:
        self.store = store
        self.ttl = ttl
        self._jobs: OrderedDict[UUID, tuple[Job, float]] = OrderedDict()
        self._locks: dict[UUID, asyncio.Lock] = {}

    async def get(self, job_id: UUID, *, fresh: bool = False) -> Job | None:
        """The job (None if it does not exist), at most `ttl` seconds old unless `fresh`."""
        entry = self._jobs.get(job_id)
        if entry is not None and not fresh and (
            entry[0].status in SETTLED or time.monotonic() - entry[1] < self.ttl
        ):
            return entry[0]
        lock = self._locks.setdefault(job_id, asyncio.Lock())
        async with lock:
            entry = self._jobs.get(job_id)
            if entry is not None and not fresh and time.monotonic() - entry[1] < self.ttl:
                return entry[0]
            job = await asyncio.to_thread(self._read, job_id, entry[0] if entry else None)
        if job is None:
            return None
        self._jobs[job_id] = (job, time.monotonic())
        self._jobs.move_to_end(job_id)
        while len(self._jobs) > self.MAX_JOBS:
            dropped, _ = self._jobs.popitem(last=False)
            self._locks.pop(dropped, None)
        return job

    def _read(self, job_id: UUID, known: Job | None) -> Job | None:
        snapshot, events = self.store.load_latest(job_id, Job.state_version())
        base = snapshot.version if snapshot is not None else 0
        if known is not None and known.version >= base:
            job, events = known, events[known.version - base:]
        elif snapshot is not None:
            job = Job.from_snapshot(job_id, snapshot.version, snapshot.state)
        else:
            job = Job(job_id)
        for event in events:
            job.evolve(event)
            job.version += 1
        return job if job.version > 0 else None

"""`copydesk worker`'s job engine: the planner, one unit runner per kind, and the recorder,
sharing one NATS connection, one event store and one job cache."""

import asyncio
import contextlib
import gc

import structlog
from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from adapters.nats import stream as nats_stream
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.bus import CommandBus
from workers.jobs.cache import JobCache
from workers.jobs.kind import JobContext, JobKind
from workers.jobs.planner import Planner
from workers.jobs.queue import ensure_units_stream
from workers.jobs.recorder import Finished, Recorder
from workers.jobs.runner import UnitRunner

log = structlog.get_logger("copydesk.jobs")
GC_YOUNG_THRESHOLD = 50_000
"""Allocations between collections of the youngest generation (Python's default: 700)."""


async def run_jobs(settings: Settings, kinds: dict[str, JobKind], stop: asyncio.Event) -> None:
    """Plan and run jobs of `kinds` until `stop`; then let running units finish (briefly),
    record what finished, and leave the rest to be delivered to other workers."""
    _spare_the_loop_full_collections()
    store = PostgresEventStore(settings.database_url, pool_size=4, max_overflow=8)
    # per unit, a generation reads and writes the prompt cache beside its model call
    pool = AsyncConnectionPool(settings.database_url, min_size=1,
                               max_size=max(4, settings.db_pool_size),
                               kwargs={"autocommit": True}, open=False)
    await pool.open(wait=True)
    nc = await nats_stream.connect(settings.nats_url, "copydesk-worker")
    try:
        js = nc.jetstream()
        await _ensure_units_stream(js, settings, stop)
        ctx = JobContext(settings, store, pool)
        cache = JobCache(store)
        bus = CommandBus(store)
        runners: list[UnitRunner] = []
        recorder = Recorder(bus, on_acked=lambda f: _forget(runners, f))
        runners.extend(UnitRunner(kind, ctx, js, settings, cache, recorder)
                       for kind in kinds.values())
        planner = Planner(settings, kinds, ctx, js, bus, cache)
        log.info("job_engine_started", kinds=sorted(kinds))
        await asyncio.gather(
            planner.run(stop), recorder.run(stop, lambda: all(r.idle for r in runners)),
            *(runner.run(stop) for runner in runners),
        )
    finally:
        with contextlib.suppress(Exception):
            await nc.close()
        await pool.close()
        store.close()


def _spare_the_loop_full_collections() -> None:
    """A full garbage collection walks every object the process keeps (the store's cached
    streams, the jobs' aggregates) with the event loop stopped: 100-250 ms during which every
    LLM call in flight is held past its answer. Collecting the young generation after 50,000
    allocations instead of 700 makes full collections about 70 times rarer; what was loaded
    at start (modules, settings) is left out of them altogether."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def _forget(runners: list[UnitRunner], finished: Finished) -> None:
    for runner in runners:
        if runner.kind is finished.kind:
            runner.forget(finished)


async def _ensure_units_stream(
    js: JetStreamContext, settings: Settings, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        try:
            await ensure_units_stream(js, settings)
            return
        except Exception as error:
            log.warning("job_stream_unavailable", error=repr(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)

"""`copydesk worker`'s job engine: the planner, one unit runner per kind, and the recorder,
sharing one NATS connection, one event store and one job cache."""

import asyncio
import contextlib

import structlog
from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from adapters.nats import stream as nats_stream
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.jobs.kind import JobContext, JobKind
from workers.jobs.cache import JobCache
from workers.jobs.planner import Planner
from workers.jobs.queue import ensure_units_stream
from workers.jobs.recorder import Finished, Recorder
from workers.jobs.runner import UnitRunner
from workers.runtime import spare_full_collections

log = structlog.get_logger("copydesk.jobs")


async def run_jobs(settings: Settings, kinds: dict[str, JobKind], stop: asyncio.Event) -> None:
    """Plan and run jobs of `kinds` until `stop`; then let running units finish (briefly),
    record what finished, and leave the rest to be delivered to other workers."""
    spare_full_collections()
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

"""Bench 5 — relay publish rate: the relay (`workers.relay.Relay(settings).run(stop)`, in
process) starting on an empty stream with ≥ 50k events in the store, timed until its position
reaches the end (events/s); against nats-py publishing the same payloads with the same headers
to another stream on the same server, pipelined (`js.publish_async`, 512 in flight, then
`publish_async_completed()`). Warm-up: the relay first relays the onboarding events and 1,000
top-ups (then stops; it resumes from its saved position), the baseline first publishes 2,000
messages.

    .venv/bin/python -m bench.relay_rate
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import nats
import psycopg
from nats.js.api import StreamConfig

from adapters.embedded import EmbeddedServers
from adapters.nats import stream as events_stream
from adapters.postgres.event_log import read_raw
from adapters.settings import Settings
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.profiles import cprofiled
from bench.report import Result, at_least
from bench.seed import append_top_ups, onboard_orgs
from bench.servers import BenchEnv
from workers.relay import Relay

NAME = "5 relay_rate"
ORGS = 100
PER_ORG = 500  # 50,000 events measured
WARM_PER_ORG = 10
IN_FLIGHT = 512
TARGET = 0.5


async def relay_until(settings: Settings, end: int, meter: CpuMeter | None = None,
                      timeout: float = 90) -> tuple[int, float]:
    """Run the relay until its position reaches `end`; (events published, seconds)."""
    relay, stop = Relay(settings), asyncio.Event()
    if meter:
        meter.start()
    started = time.monotonic()
    task = asyncio.create_task(relay.run(stop))
    try:
        while relay.position < end:
            if task.done():
                task.result()
                raise RuntimeError("the relay stopped early")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"relay at {relay.position} of {end} after {timeout} s")
            await asyncio.sleep(0.002)
        seconds = time.monotonic() - started
        if meter:
            meter.stop()
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    return relay.published, seconds


async def rows_after(database_url: str, after: int) -> list[tuple[int, object, int, str, bytes]]:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        return await read_raw(conn, after, 10**7)


async def publish_pipelined(nats_url: str, rows: list[tuple[int, object, int, str, bytes]],
                            meter: CpuMeter, warmup: int = 2000) -> float:
    """Seconds to publish `rows` as the relay would, to a stream of their own."""
    nc = await nats.connect(nats_url, name="bench-baseline")
    try:
        js = nc.jetstream(publish_async_max_pending=IN_FLIGHT)
        name = "BENCH_" + uuid.uuid4().hex[:8].upper()
        prefix = name.lower()
        await js.add_stream(StreamConfig(name=name, subjects=[f"{prefix}.>"],
                                         duplicate_window=120.0))

        async def publish(batch: list[tuple[int, object, int, str, bytes]], tag: str) -> None:
            for position, aggregate_id, version, topic, state in batch:
                await js.publish_async(
                    events_stream.subject_for(topic, prefix), state, wait_stall=5.0,
                    headers={events_stream.POSITION: f"{tag}{position}",
                             events_stream.AGGREGATE_ID: str(aggregate_id),
                             events_stream.AGGREGATE_VERSION: str(version),
                             events_stream.TOPIC: topic})
            await asyncio.wait_for(js.publish_async_completed(), 60)

        await publish(rows[:warmup], "w")
        meter.start()
        started = time.monotonic()
        with cprofiled("nats-publish-baseline"):
            await publish(rows, "")
        seconds = time.monotonic() - started
        meter.stop()
        info = await js.stream_info(name)
        assert info.state.messages == len(rows) + min(warmup, len(rows)), info.state
        await js.delete_stream(name)
        return seconds
    finally:
        await nc.close()


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("relay_rate", servers) as env:
        orgs = onboard_orgs(env.settings, ORGS)
        append_top_ups(env.settings, orgs, WARM_PER_ORG)
        warm_end = env.store_position()
        say(NAME, f"warm-up: relaying {warm_end} events")
        asyncio.run(relay_until(env.settings, warm_end))
        append_top_ups(env.settings, orgs, PER_ORG)
        end = env.store_position()
        say(NAME, f"relaying {end - warm_end} events")
        roles = {**env.roles(), "bench (relay, in process)": os.getpid()}
        roles.pop("bench client")
        relay_cpu = CpuMeter(roles)
        with cprofiled("relay"):
            published, relay_seconds = asyncio.run(relay_until(env.settings, end, relay_cpu))
        rows = asyncio.run(rows_after(env.database_url, warm_end))
        say(NAME, f"baseline: publishing {len(rows)} messages pipelined")
        publish_cpu = CpuMeter(env.roles())
        baseline_seconds = asyncio.run(publish_pipelined(env.nats_url, rows, publish_cpu))
    return [Result(
        bench=NAME, case=f"relay {published:,} events to an empty stream", unit="events/s",
        baseline_label=f"nats-py publish_async, {IN_FLIGHT} in flight",
        baseline=len(rows) / baseline_seconds, figure=published / relay_seconds,
        target=TARGET, target_text=at_least(TARGET),
        notes=[f"relay {relay_seconds:.2f} s (from start, connecting included); baseline "
               f"{baseline_seconds:.2f} s for {len(rows):,} messages with the same headers",
               f"relay: {relay_cpu.summary(published, 'event')}",
               f"baseline: {publish_cpu.summary(len(rows), 'message')}"])]


if __name__ == "__main__":
    main(run, "relay_rate")

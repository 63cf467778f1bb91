"""Bench 2 — projection lag, append → read model, at half the maximum command rate.

In-process `TopUp` commands through `CommandBus` + `PostgresEventStore` (the API's own write
path, without HTTP) on 256 organizations; the relay and the projector run as processes. First
the maximum rate (32 threads, closed loop), then a paced open-loop generator at half of it.
The lag of a command is the time from its append returning a position to the moment a
`LISTEN projection_advanced` connection (in a process of its own, so this process's GIL does
not delay it) receives `billing:<position ≥ it>`. The floor (baseline) is the raw PostgreSQL
NOTIFY round trip: a NOTIFY on one connection, returned, until the same listener sees it.

    .venv/bin/python -m bench.projection_lag
"""

from __future__ import annotations

import bisect
import multiprocessing
import multiprocessing.connection
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from uuid import UUID

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.postgres.event_store import PostgresEventStore
from bench.cli import main, say
from bench.measure import CpuMeter, percentile
from bench.report import Result
from bench.seed import META, onboard_orgs
from bench.servers import BenchEnv
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus

NAME = "2 projection_lag"
ORGS = 256
MAX_THREADS = 32
MAX_WARMUP, MAX_SECONDS = 2.0, 5.0
PACED_WARMUP, PACED_SECONDS = 2.0, 12.0
LOW_RATE, LOW_SECONDS = 100.0, 8.0
"""A diagnostic run at a rate that leaves the 2 cores mostly idle: the pipeline's own latency
without CPU queueing."""
FLOOR_COUNT, FLOOR_EVERY = 1500, 0.002
TARGET_P99_MS = 50.0
CHANNEL = "projection_advanced"
FLOOR_CHANNEL = "bench_floor"


def _listen(database_url: str, ready: multiprocessing.synchronize.Event,
            stop: multiprocessing.synchronize.Event,
            out: multiprocessing.connection.Connection) -> None:
    """(monotonic time received, channel, payload) of every notification until `stop`."""
    got: list[tuple[float, str, str]] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        conn.execute(f"LISTEN {FLOOR_CHANNEL}")
        ready.set()
        while not stop.is_set():
            for note in conn.notifies(timeout=0.2):
                got.append((time.monotonic(), note.channel, note.payload))
    out.send(got)
    out.close()


class Listener:
    def __init__(self, database_url: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.ready, self.stop_event = ctx.Event(), ctx.Event()
        self.receiver, sender = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_listen,
                                args=(database_url, self.ready, self.stop_event, sender),
                                daemon=True)
        self.proc.start()
        if not self.ready.wait(30):
            self.proc.kill()
            raise RuntimeError("listener did not start")

    def stop(self) -> list[tuple[float, str, str]]:
        self.stop_event.set()
        got: list[tuple[float, str, str]] = self.receiver.recv() if self.receiver.poll(30) else []
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
        return got


def notify_floor(database_url: str) -> list[tuple[float, float, str]]:
    """(monotonic time the NOTIFY was sent, time it returned, payload), paced."""
    sent: list[tuple[float, float, str]] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        start = time.monotonic()
        for i in range(FLOOR_COUNT):
            delay = start + i * FLOOR_EVERY - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            issued = time.monotonic()
            conn.execute("SELECT pg_notify(%s, %s)", (FLOOR_CHANNEL, str(i)))
            sent.append((issued, time.monotonic(), str(i)))
    return sent


def max_rate(bus: CommandBus, orgs: list[UUID]) -> float:
    """Commands/s from MAX_THREADS threads back to back (closed loop)."""
    start = time.monotonic()
    measure_from, end = start + MAX_WARMUP, start + MAX_WARMUP + MAX_SECONDS
    done = [0] * MAX_THREADS

    def worker(k: int) -> None:
        i = k
        while True:
            now = time.monotonic()
            if now >= end:
                return
            bus.execute(top_up, TopUp(org_id=orgs[i % len(orgs)], amount=Decimal("1.00"),
                                      description="bench"), META)
            i += MAX_THREADS
            if measure_from <= time.monotonic() < end:
                done[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(MAX_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / MAX_SECONDS


def paced(bus: CommandBus, orgs: list[UUID], rate: float,
          seconds: float = PACED_SECONDS) -> list[tuple[float, float, float, int]]:
    """Open loop: command i is issued at start + i / rate whatever the earlier ones are
    doing; (scheduled time since start, scheduled time, append-returned time, position)."""
    total = int(rate * (PACED_WARMUP + seconds))
    out: list[tuple[float, float, int]] = []
    lock = threading.Lock()

    def job(i: int, scheduled: float) -> None:
        outcome = bus.execute(top_up, TopUp(org_id=orgs[i % len(orgs)], amount=Decimal("1.00"),
                                            description="bench"), META)
        returned = time.monotonic()
        with lock:
            out.append((scheduled, returned, outcome.position))

    with ThreadPoolExecutor(64) as pool:
        start = time.monotonic() + 0.05
        for i in range(total):
            at = start + i / rate
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(job, i, at)
    return [(s - start, s, r, p) for s, r, p in out]


def lags_ms(appended: list[tuple[float, int]], seen: list[tuple[float, int]]) -> list[float]:
    """For each (time, position) appended: ms until the first notification at or beyond it."""
    seen = sorted(seen)
    times, reach, top = [], [], 0
    for t, position in seen:  # the furthest position shown by each moment
        top = max(top, position)
        times.append(t)
        reach.append(top)
    out = []
    for t, position in appended:
        k = bisect.bisect_left(reach, position)
        if k < len(reach):
            out.append(max(0.0, times[k] - t) * 1000)
        else:
            out.append(float("inf"))
    return out


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("projection_lag", servers) as env:
        env.start_pipeline()
        orgs = [o.org_id for o in onboard_orgs(env.settings, ORGS)]
        env.wait_for_projections()
        listener = Listener(env.database_url)
        got: list[tuple[float, str, str]] = []
        store = PostgresEventStore(env.database_url, pool_size=16, max_overflow=48)
        try:
            say(NAME, "floor: raw NOTIFY round trip")
            sent = notify_floor(env.database_url)
            bus = CommandBus(store)
            say(NAME, "maximum command rate (closed loop, 32 threads)")
            max_meter = CpuMeter.window(env.roles(), MAX_WARMUP, MAX_SECONDS)
            top_rate = max_rate(bus, orgs)
            max_cpu = max_meter.summary(top_rate * MAX_SECONDS, "command")
            env.wait_for_projections()
            rate = top_rate / 2
            say(NAME, f"max {top_rate:.0f}/s; paced open loop at {rate:.0f}/s")
            paced_meter = CpuMeter.window(env.roles(), PACED_WARMUP, PACED_SECONDS)
            commands = paced(bus, orgs, rate)
            paced_cpu = paced_meter.summary(rate * PACED_SECONDS, "command")
            env.wait_for_projections()
            say(NAME, f"diagnostic: paced open loop at {LOW_RATE:.0f}/s")
            low_meter = CpuMeter.window(env.roles(), PACED_WARMUP, LOW_SECONDS)
            low = paced(bus, orgs, LOW_RATE, LOW_SECONDS)
            low_cpu = low_meter.summary()
            env.wait_for_projections()
            time.sleep(0.5)
        finally:
            store.close()
            got = listener.stop()
    floor_seen = {p: t for t, ch, p in got if ch == FLOOR_CHANNEL}
    floor = [(floor_seen[p] - t) * 1000 for t, _, p in sent[100:] if p in floor_seen]
    floor_after = [(floor_seen[p] - r) * 1000 for _, r, p in sent[100:] if p in floor_seen]
    seen = [(t, int(p.rpartition(":")[2])) for t, ch, p in got
            if ch == CHANNEL and p.rpartition(":")[0] == "billing"]
    measured = [(r, p) for s, _, r, p in commands if s >= PACED_WARMUP]
    lags = lags_ms(measured, seen)
    low_lags = lags_ms([(r, p) for s, _, r, p in low if s >= PACED_WARMUP], seen)
    lost = sum(1 for x in lags if x == float("inf"))
    queued = [(r - at) * 1000 for s, at, r, _ in commands if s >= PACED_WARMUP]
    common = (f"max rate {top_rate:,.0f} commands/s (32 threads, in-process bus), paced at "
              f"{rate:,.0f}/s for {PACED_SECONDS:.0f} s after {PACED_WARMUP:.0f} s warm-up: "
              f"{len(lags)} commands measured, {lost} never seen; "
              f"floor from {len(floor)} NOTIFYs, timed from issuing `SELECT pg_notify` (timed"
              f" from its return, as the lag is from the append's return, the floor is p50 "
              f"{percentile(floor_after, 50):.2f} / p99 {percentile(floor_after, 99):.2f} ms:"
              f" the listener hears it about when the sender gets its reply)")
    rows = []
    for q, target in ((50, None), (99, TARGET_P99_MS)):
        rows.append(Result(
            bench=NAME, case=f"p{q} append → billing NOTIFY at {rate:,.0f} cmd/s", unit="ms",
            baseline_label=f"raw NOTIFY p{q}", baseline=percentile(floor, q),
            figure=percentile(lags, q), target=target, higher_is_better=False,
            target_text=f"p99 ≤ {TARGET_P99_MS:.0f} ms" if target else "—"))
    rows.append(Result(
        bench=NAME, case=f"p99 at {LOW_RATE:.0f} cmd/s (diagnostic: cores mostly idle)",
        unit="ms", baseline_label="raw NOTIFY p99", baseline=percentile(floor, 99),
        figure=percentile(low_lags, 99), target=None, higher_is_better=False,
        target_text="—", notes=[f"p50 {percentile(low_lags, 50):.1f} ms, max "
                               f"{max(low_lags):.1f} ms over {len(low_lags)} commands; "
                               f"{low_cpu}"]))
    rows[0].notes.append(common)
    rows[0].notes.append(f"at the maximum rate: {max_cpu}")
    rows[0].notes.append(f"at half of it: {paced_cpu}")
    rows[0].notes.append(
        f"max lag {max(lags):.1f} ms; command latency (schedule → append returned) "
        f"p50 {percentile(queued, 50):.1f} ms, p99 {percentile(queued, 99):.1f} ms")
    return rows


if __name__ == "__main__":
    main(run, "projection_lag")

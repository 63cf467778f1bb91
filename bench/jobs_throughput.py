"""Bench — job engine throughput: 2,000 units of the test sleep kind (1 s each, as an LLM with
1 s latency) at concurrency C, against the ideal of 2000 * 1 s / C.

Relay, projector and worker(s) run as processes (`copydesk worker` with this module's kind
through COPYDESK_JOB_KINDS); the job is queued through the command bus as the API does, and
each unit that succeeds is charged in XCT (the real `record` path: job outcome + billing
charge in one unit of work). Elapsed = `JobCreated` → `JobCompleted` (the events' own times).
Overhead per unit = (elapsed * C - units * latency) / units: how long each concurrency slot is
held beyond the unit's own latency. A listener on `projection_advanced` measures how long after
each outcome event the read model showed it. Then the cost of the Job aggregate itself at
2,000 and 100,000 units (rebuild, memory, one more outcome).

    .venv/bin/python -m bench.jobs_throughput
"""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from decimal import Decimal
from uuid import UUID, uuid4

import psycopg

from adapters.memory_store import InMemoryEventStore
from adapters.postgres.codec import decode_event
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from bench.cli import main, say
from bench.measure import CpuMeter, percentile
from bench.report import Result, at_least
from bench.seed import META, onboard_orgs
from bench.servers import BenchEnv
from commands.bus import CommandBus
from commands.jobs.lifecycle import CreateJob, create_job
from commands.unit_of_work import UnitOfWork
from domain.jobs.events import JobCompleted, JobCreated, JobItemSucceeded, JobStarted
from domain.jobs.job import Job
from tests.fakes.job_kinds import SleepKind
from tests.support import wait_until

NAME = "jobs throughput"
KIND = "bench.sleep"
UNITS, LATENCY = 2000, 1.0
TARGET = 0.9
CASES = [(100, 1), (200, 1), (100, 2)]
"""(concurrency per worker process, worker processes)."""
AGGREGATE_SIZES = (2_000, 100_000)
GROUP = 500
"""Outcomes per command, as the recorder groups them at most."""


def kinds() -> list[SleepKind]:
    """The kind the bench's workers run, at the concurrency the bench asks for."""
    concurrency = int(os.environ.get("BENCH_JOB_CONCURRENCY", "100"))
    return [SleepKind(name=KIND, conflicts=frozenset(), concurrency=concurrency, ack_wait=30.0)]


class Notices(threading.Thread):
    """(wall time received, position) of every `jobs` projection_advanced notification."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.seen: list[tuple[float, int]] = []
        self.ready = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute("LISTEN projection_advanced")
            self.ready.set()
            while not self.stop.is_set():
                for note in conn.notifies(timeout=0.2):
                    name, position, *_ = note.payload.split(":")
                    if name == "jobs":
                        self.seen.append((time.time(), int(position)))


def job_events(settings: Settings, job_id: UUID) -> list[tuple[int, object]]:
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT notification_id, topic, state FROM events"
                            " WHERE originator_id = %s ORDER BY originator_version",
                            (job_id,)).fetchall()
    return [(position, decode_event(topic, bytes(state))[0]) for position, topic, state in rows]


def one_case(concurrency: int, workers: int) -> Result:
    os.environ["COPYDESK_JOB_KINDS"] = "bench.jobs_throughput:kinds"
    os.environ["BENCH_JOB_CONCURRENCY"] = str(concurrency)
    slots = concurrency * workers
    with BenchEnv(f"jobs-{concurrency}x{workers}") as env:
        env.start_pipeline()
        for n in range(workers):
            env.processes.start(f"worker-{n}", "worker")
        org = onboard_orgs(env.settings, 1)[0]
        notices = Notices(env.database_url)
        notices.start()
        notices.ready.wait(10)
        store = PostgresEventStore(env.database_url, pool_size=1, max_overflow=1)
        warm_up = uuid4()  # every worker up, consumers made, connections open
        CommandBus(store).execute(create_job, CreateJob(
            org_id=org.org_id, project_id=uuid4(), job_id=warm_up, kind=KIND,
            parameters={"units": 20 * workers}, conflicts=frozenset()), META)
        wait_until(lambda: _completed(env.settings, warm_up), 60, "the warm-up job")
        meter = CpuMeter(env.roles())
        meter.start()
        job_id = uuid4()
        say(NAME, f"{UNITS} units x {LATENCY} s at concurrency {concurrency} x {workers} worker(s)")
        CommandBus(store).execute(create_job, CreateJob(
            org_id=org.org_id, project_id=uuid4(), job_id=job_id, kind=KIND,
            parameters={"units": UNITS, "latency": LATENCY, "tokens": 1},
            conflicts=frozenset()), META)
        store.close()
        ideal = UNITS * LATENCY / slots
        wait_until(lambda: _completed(env.settings, job_id), ideal * 4 + 60, "the job to complete")
        meter.stop()
        env.wait_for_projections()
        notices.stop.set()
        events = job_events(env.settings, job_id)
        charges = _charges(env.settings, job_id)
    created = next(e for _, e in events if isinstance(e, JobCreated)).occurred_at
    started = next(e for _, e in events if isinstance(e, JobStarted)).occurred_at
    completed = next(e for _, e in events if isinstance(e, JobCompleted)).occurred_at
    outcomes = [e.occurred_at for _, e in events if isinstance(e, JobItemSucceeded)]
    elapsed = (completed - created).total_seconds()
    phases = (f"created → started {(started - created).total_seconds() * 1000:.0f} ms, "
              f"→ first outcome {(min(outcomes) - started).total_seconds() * 1000:.0f} ms, "
              f"last outcome → completed {(completed - max(outcomes)).total_seconds() * 1000:.0f}"
              " ms")
    lags = _visible_after(events, notices.seen)
    overhead_ms = (elapsed * slots - UNITS * LATENCY) / UNITS * 1000
    return Result(
        bench=NAME, case=f"{UNITS} units x {LATENCY:.0f} s, concurrency {concurrency} x "
                         f"{workers} worker(s)", unit="units/s",
        baseline_label=f"ideal {slots}/s ({ideal:.0f} s)", baseline=UNITS / ideal,
        figure=UNITS / elapsed, target=TARGET, target_text=at_least(TARGET),
        notes=[f"elapsed {elapsed:.2f} s (JobCreated → JobCompleted) vs ideal {ideal:.2f} s; "
               f"overhead {overhead_ms:.1f} ms/unit of slot time, "
               f"{(elapsed - ideal) / UNITS * 1000:.2f} ms/unit of wall time; "
               f"{phases}; {charges} charges for {UNITS} units; outcome visible in the read model after "
               f"p50 {percentile(lags, 50):.0f} ms, p99 {percentile(lags, 99):.0f} ms",
               meter.summary(per=UNITS, unit="unit")])


def _completed(settings: Settings, job_id: UUID) -> bool:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT status FROM rm_jobs.jobs WHERE id = %s", (job_id,)).fetchone()
    return bool(row and row[0] in ("completed", "failed"))


def _charges(settings: Settings, job_id: UUID) -> int:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM rm_billing.usage WHERE reference_id LIKE %s",
                           (f"{job_id}:%",)).fetchone()
    return int(row[0]) if row else 0


def _visible_after(events: list[tuple[int, object]], seen: list[tuple[float, int]]) -> list[float]:
    """Per outcome event: ms from its time to the first notice of a position at or past it."""
    lags = []
    for position, event in events:
        if isinstance(event, JobItemSucceeded):
            at = next((t for t, p in seen if p >= position), None)
            if at is not None:
                lags.append((at - event.occurred_at.timestamp()) * 1000)
    return lags


def aggregate_cost(units: int) -> Result:
    """The Job with `units` outcomes: recording them in groups as the recorder does, then
    rebuild time, memory, and one more outcome command (load + rebuild + record + append),
    on the in-memory store (the cost of the aggregate, not of the database)."""
    store = InMemoryEventStore()
    bus = CommandBus(store)
    job_id, org_id = uuid4(), uuid4()
    bus.execute(create_job, CreateJob(org_id=org_id, project_id=uuid4(), job_id=job_id,
                                      kind="k", parameters={}, conflicts=frozenset()), META)

    def record(uow: UnitOfWork, numbers: range) -> None:
        job = uow.get(Job, job_id)
        if job.start():
            job.plan(units + 1)
        for n in numbers:
            job.record_success(f"u{n:06d}", {"n": n}, Decimal("1"))
    started = time.perf_counter()
    for first in range(0, units, GROUP):
        bus.execute(record, range(first, min(units, first + GROUP)), META)
    fill_s = time.perf_counter() - started
    events = store.load(job_id)
    started = time.perf_counter()
    job = Job.rebuild(job_id, events)
    rebuild_s = time.perf_counter() - started
    tracemalloc.start()
    Job.rebuild(job_id, events)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    started = time.perf_counter()
    bus.execute(record, range(units, units + 1), META)
    command_s = time.perf_counter() - started
    assert job.processed == units
    return Result(
        bench=NAME, case=f"one more outcome on a Job with {units:,} unit outcomes", unit="ms",
        baseline_label="-", baseline=0.0, figure=command_s * 1000, target=None,
        higher_is_better=False,
        notes=[f"rebuild {rebuild_s * 1000:.1f} ms ({rebuild_s / units * 1e6:.2f} µs/event); "
               f"state {peak / 1e6:.1f} MB while rebuilt; recording all {units:,} in groups of "
               f"{GROUP} (each group rebuilds the job): {fill_s:.1f} s"])


def run() -> list[Result]:
    results = [one_case(concurrency, workers) for concurrency, workers in CASES]
    results.extend(aggregate_cost(units) for units in AGGREGATE_SIZES)
    return results


if __name__ == "__main__":
    main(run, "jobs_throughput")

"""Bench — generation rate: 2,000 products written by `copydesk worker` processes through the
real Anthropic client against the fake LLM server, run as a subprocess with a fixed 1 s latency,
at an LLM concurrency C per worker; against the ideal of 2000 * 1 s / (C * workers).

Relay, projector and worker(s) run as processes, the providers' base URL points at the fake
(`python -m tests.fakes.llm_server --port P --latency 1`); the project and its 2,000 products
are made through the command bus (a manual source), the job is queued as the API does, and
each item goes the whole way: prompt, gate, HTTP call, validation, texts recorded, XCT charged,
outcome — charge and outcome in one unit of work. Elapsed = `JobCreated` → `JobCompleted`
(the events' own times). Overhead per item = (elapsed * slots - items * latency) / items: how
long each concurrency slot is held beyond the call itself. When the slots do not divide the
items, the last round of calls runs with slots left idle: no run can end before
ceil(items / slots) * latency, and the notes give that floor (for 2,000 items over 64 slots,
32 s: 0.977x, 24 ms/item).

    .venv/bin/python -m bench.generation_rate
"""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import psycopg

from adapters.postgres.codec import decode_event
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.report import Result, at_least
from bench.seed import META, onboard_orgs
from bench.servers import BenchEnv
from commands.billing.accounts import ChangeBillingSettings, change_billing_settings
from commands.bus import CommandBus
from commands.catalog.projects import CreateProject, create_project
from commands.catalog.sources import AddManualSource, add_manual_source
from commands.generation.kinds import CONFLICTS, GENERATE, check_generation_parameters
from commands.jobs.lifecycle import CreateJob, create_job
from domain.billing.events import UsageCharged
from domain.catalog.records import ProductRecord
from domain.jobs.events import JobCompleted, JobCreated, JobItemSucceeded, JobPlanned, JobStarted
from tests.support import ROOT, free_port, wait_until

NAME = "generation rate"
ITEMS, LATENCY = 2000, 1.0
TARGET = 0.9
OVERHEAD_TARGET_MS = 10.0
CASES = [(64, 1), (32, 2)]
"""(LLM concurrency per worker process, worker processes)."""
SETTINGS = {"ai_provider": "anthropic", "ai_model": "claude-haiku-4-5"}
CHUNK = 500


def products(count: int, tag: str) -> list[ProductRecord]:
    return [ProductRecord(
        external_id=f"{tag}-{n:05d}", item_type="simple", parent_external_id=None,
        name=f"Washed linen shirt {n}", line=n + 2,
        source_data={"sku": f"{tag}-{n:05d}", "name": f"Washed linen shirt {n}",
                     "price": f"{20 + n % 50}.00", "color": "sand",
                     "description": "A relaxed shirt of washed European linen."})
        for n in range(count)]


def start_fake(port: int, latency: float = LATENCY) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.fakes.llm_server", "--port", str(port),
                             "--latency", str(latency)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: _answers(f"http://127.0.0.1:{port}/"), 30, "the fake LLM server")
    return proc


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


def one_case(concurrency: int, workers: int) -> Result:
    slots = concurrency * workers
    port = free_port()
    fake = start_fake(port)
    try:
        with BenchEnv(f"generation-{concurrency}x{workers}") as env:
            env.settings = dataclasses.replace(
                env.settings, anthropic_base_url=f"http://127.0.0.1:{port}",
                anthropic_api_key="bench-platform-key", llm_concurrency=concurrency,
                llm_timeout_seconds=30.0)
            env.processes.settings = env.settings
            env.start_pipeline()
            for n in range(workers):
                env.processes.start(f"worker-{n}", "worker")
            org = onboard_orgs(env.settings, 1)[0].org_id
            store = PostgresEventStore(env.database_url, pool_size=2, max_overflow=2)
            bus = CommandBus(store)
            bus.execute(change_billing_settings, ChangeBillingSettings(
                org_id=org, overage_enabled=True, token_rate_multiplier=Decimal(1)), META)
            warm = _project(bus, org, 4 * slots, "warm")
            env.wait_for_projections()
            _run_job(bus, env.settings, org, warm, 120)
            project = _project(bus, org, ITEMS, "bench")
            env.wait_for_projections()
            meter = CpuMeter(env.roles())
            meter.start()
            say(NAME, f"{ITEMS} items x {LATENCY} s at concurrency {concurrency} x {workers}")
            ideal = ITEMS * LATENCY / slots
            job_id = _run_job(bus, env.settings, org, project, ideal * 4 + 120)
            meter.stop()
            store.close()
            env.wait_for_projections()
            elapsed, succeeded, phases = _elapsed(env.settings, job_id)
            charges = _charges(env.settings, job_id)
            stats = httpx.get(f"http://127.0.0.1:{port}/_fake/stats", timeout=5).json()
    finally:
        fake.terminate()
        fake.wait(10)
    overhead_ms = (elapsed * slots - ITEMS * LATENCY) / ITEMS * 1000
    floor = math.ceil(ITEMS / slots) * LATENCY
    floor_ms = (floor * slots - ITEMS * LATENCY) / ITEMS * 1000
    once = all(n == 1 for n in charges.values()) and len(charges) == succeeded
    return Result(
        bench=NAME, case=f"{ITEMS} items x {LATENCY:.0f} s, concurrency {concurrency} x "
                         f"{workers} worker(s)", unit="items/s",
        baseline_label=f"ideal {slots}/s ({ideal:.0f} s)", baseline=ITEMS / ideal,
        figure=ITEMS / elapsed, target=TARGET, target_text=at_least(TARGET),
        notes=[f"elapsed {elapsed:.2f} s vs ideal {ideal:.2f} s; overhead {overhead_ms:.1f} ms/item"
               f" of slot time (target ≤ {OVERHEAD_TARGET_MS:.0f}; floor {floor:.0f} s ="
               f" {ideal / floor:.3f}x, {floor_ms:.1f} ms/item, as {ITEMS} calls take"
               f" {math.ceil(ITEMS / slots)} rounds); {succeeded} written, "
               f"{sum(charges.values())} charges ({'one per item' if once else 'NOT one per item'});"
               f" {phases}; at most {stats['max_in_flight']} calls in flight at the fake",
               meter.summary(per=ITEMS, unit="item")])


def _project(bus: CommandBus, org: UUID, count: int, tag: str) -> UUID:
    project = uuid4()
    bus.execute(create_project, CreateProject(org_id=org, project_id=project,
                                              name=f"{tag} {project.hex[:6]}",
                                              platform="woocommerce"), META)
    source = uuid4()
    records = products(count, f"{tag}{project.hex[:6]}")
    bus.execute(add_manual_source, AddManualSource(org_id=org, project_id=project,
                                                   source_id=source, records=records), META)
    return project


def _run_job(bus: CommandBus, settings: Settings, org: UUID, project: UUID,
             seconds: float) -> UUID:
    job_id = uuid4()
    bus.execute(create_job, CreateJob(
        org_id=org, project_id=project, job_id=job_id, kind=GENERATE,
        parameters=check_generation_parameters({"settings": SETTINGS}), conflicts=CONFLICTS),
        META)
    wait_until(lambda: _status(settings, job_id) in ("completed", "failed"), seconds,
               f"job {job_id}")
    return job_id


def _status(settings: Settings, job_id: UUID) -> str | None:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT status FROM rm_jobs.jobs WHERE id = %s", (job_id,)).fetchone()
    return str(row[0]) if row else None


def _elapsed(settings: Settings, job_id: UUID) -> tuple[float, int, str]:
    """Seconds from JobCreated to JobCompleted, items written, and where the time went."""
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT topic, state FROM events WHERE originator_id = %s"
                            " ORDER BY originator_version", (job_id,)).fetchall()
    events = [decode_event(topic, bytes(state))[0] for topic, state in rows]
    created = next(e for e in events if isinstance(e, JobCreated)).occurred_at
    started = next(e for e in events if isinstance(e, JobStarted)).occurred_at
    planned = next(e for e in events if isinstance(e, JobPlanned)).occurred_at
    completed = next(e for e in events if isinstance(e, JobCompleted)).occurred_at
    outcomes = [e.occurred_at for e in events if isinstance(e, JobItemSucceeded)]

    def ms(a: datetime, b: datetime) -> str:
        return f"{(b - a).total_seconds() * 1000:.0f} ms"

    phases = (f"created → started {ms(created, started)}, → planned {ms(started, planned)}, "
              f"started → first outcome {ms(started, min(outcomes))}, last outcome → completed "
              f"{ms(max(outcomes), completed)}")
    return (completed - created).total_seconds(), len(outcomes), phases


def _charges(settings: Settings, job_id: UUID) -> Counter[str]:
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT topic, state FROM events WHERE topic LIKE %s",
                            ("%UsageCharged%",)).fetchall()
    return Counter(str(e.reference_id) for topic, state in rows
                   if isinstance(e := decode_event(topic, bytes(state))[0], UsageCharged)
                   and str(e.reference_id).startswith(f"{job_id}:"))


def run() -> list[Result]:
    cases = os.environ.get("BENCH_GENERATION_CASES")
    chosen = ([tuple(int(x) for x in c.split("x")) for c in cases.split(",")] if cases
              else CASES)
    return [one_case(c, w) for c, w in chosen]


if __name__ == "__main__":
    main(run, "generation_rate")

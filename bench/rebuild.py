"""Bench 3 — rebuild rate: `projections.rebuilds.rebuild(conn, projection)` of each projection
over ≥ 100k events (events/s), then every projection together in one pass
(`rebuild_together`), against a raw `SELECT * FROM events` fetching every row (rows/s) on the
same database. 200 organizations are onboarded through the command bus, then top-ups are
appended through `PostgresEventStore.append` in chunks of 1000 from 4 threads. No relay or
projector runs (nothing else touches the database).

    .venv/bin/python -m bench.rebuild
"""

from __future__ import annotations

import asyncio
import os
import time

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.postgres.event_log import read_log
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.profiles import cprofiled
from bench.report import Result, at_least
from bench.seed import append_top_ups, onboard_orgs
from bench.servers import BenchEnv
from projections.rebuilds import rebuild, rebuild_together
from projections.registry import all_projections

NAME = "3 rebuild"
ORGS = 200
PER_ORG = 500  # + onboarding: ≈ 101k events
TARGET = 0.3
"""Each projection alone, against the raw SELECT."""
TOGETHER_TARGET = 0.2
"""Every projection in one pass."""


async def select_all(database_url: str) -> tuple[int, float]:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        started = time.monotonic()
        cur = await conn.execute("SELECT * FROM events")
        rows = await cur.fetchall()
        return len(rows), time.monotonic() - started


async def rebuild_all(database_url: str,
                      roles: dict[str, int]) -> list[tuple[str, int, float, str]]:
    out = []
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        # warm-up: the code paths and the decoders, on the first 5000 events, nothing written
        await read_log(conn, after=0, limit=5000)
        for projection in all_projections():
            meter = CpuMeter(roles)
            meter.start()
            started = time.monotonic()
            with cprofiled(f"rebuild-{projection.name}"):
                position = await rebuild(conn, projection)
            seconds = time.monotonic() - started
            meter.stop()
            out.append((projection.name, position, seconds, meter.summary()))
    return out


async def rebuild_in_one_pass(database_url: str, roles: dict[str, int]) -> tuple[float, str]:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        meter = CpuMeter(roles)
        meter.start()
        started = time.monotonic()
        with cprofiled("rebuild-together"):
            await rebuild_together(conn, all_projections())
        seconds = time.monotonic() - started
        meter.stop()
    return seconds, meter.summary()


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("rebuild", servers) as env:
        say(NAME, f"making events: {ORGS} organizations, {PER_ORG} top-ups each")
        orgs = onboard_orgs(env.settings, ORGS)
        append_seconds = append_top_ups(env.settings, orgs, PER_ORG)
        events = env.store_position()
        say(NAME, f"{events} events ({ORGS * PER_ORG / append_seconds:,.0f} appended/s); "
                  "raw SELECT, then rebuilds")
        asyncio.run(select_all(env.database_url))  # warm-up: the table into shared buffers
        rows, select_seconds = asyncio.run(select_all(env.database_url))
        roles = {**env.roles(), "bench (rebuild, in process)": os.getpid()}
        roles.pop("bench client")
        rebuilt = asyncio.run(rebuild_all(env.database_url, roles))
        together, together_cpu = asyncio.run(rebuild_in_one_pass(env.database_url, roles))
        rows_after, select_after = asyncio.run(select_all(env.database_url))
    baseline = (rows / select_seconds + rows_after / select_after) / 2
    results = [
        Result(bench=NAME, case=f"rebuild {name} ({events:,} events)", unit="events/s",
               baseline_label="raw SELECT * FROM events", baseline=baseline,
               figure=events / seconds, target=TARGET, target_text=at_least(TARGET))
        for name, _, seconds, _ in rebuilt
    ]
    for result, (_, _, _, cpu) in zip(results, rebuilt, strict=True):
        result.notes.append(cpu)
    total = sum(s for _, _, s, _ in rebuilt)
    results.append(Result(
        bench=NAME, case="rebuild every projection, one after another", unit="events/s",
        baseline_label="raw SELECT * FROM events", baseline=baseline, figure=events / total,
        target=TOGETHER_TARGET, target_text=at_least(TOGETHER_TARGET),
        notes=[f"{total:.1f} s for the {len(rebuilt)} rebuilds of {events:,} events"]))
    results.append(Result(
        bench=NAME, case="rebuild every projection together, one pass", unit="events/s",
        baseline_label="raw SELECT * FROM events", baseline=baseline, figure=events / together,
        target=TOGETHER_TARGET, target_text=at_least(TOGETHER_TARGET),
        notes=[f"{together:.1f} s for {len(rebuilt)} projections", together_cpu]))
    results[0].notes.append(
        f"baseline: {rows:,} rows in {select_seconds:.2f} s before the rebuilds, "
        f"{rows_after:,} in {select_after:.2f} s after (mean rate used); events made at "
        f"{ORGS * PER_ORG / append_seconds:,.0f}/s through PostgresEventStore.append; per rebuild: "
        + ", ".join(f"{n} {s:.1f} s" for n, _, s, _ in rebuilt))
    return results


if __name__ == "__main__":
    main(run, "rebuild")

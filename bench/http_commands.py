"""Bench 1 — HTTP command throughput: `POST /api/v1/billing/topup` on 64 organizations
(round-robin) from 32 concurrent keep-alive clients, counting 200s per second; against raw
psycopg one-row autocommit INSERTs into a scratch table from 32 async connections in the same
client process, and against the eventsourcing library's own `Application.save()` from 32
threads in the same database (`bench.library_peer`, target: at least 3 times its rate). The
API runs with 1 and with 2 workers, each with the default read-your-writes wait and with
`X-Consistency: eventual`; relay and projector run throughout.

    .venv/bin/python -m bench.http_commands
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
from collections.abc import Iterator

import psycopg

from adapters.embedded import EmbeddedServers
from bench.cli import main, say
from bench.library_peer import save_rate
from bench.load import LoadResult, Op, closed_loop, http_op, http_request
from bench.measure import CpuMeter, percentile
from bench.profiles import Profile
from bench.report import Result, at_least
from bench.seed import admin_token, onboard_orgs
from bench.servers import BenchEnv

NAME = "1 http_commands"
CONCURRENCY = 32
ORGS = 64
WARMUP = 3.0
DURATION = 8.0
TARGET = 1.0
PEER_TARGET = 3.0
BODY = json.dumps({"amount": 1, "description": "bench"}).encode()


async def insert_baseline(database_url: str, roles: dict[str, int] | None = None) -> LoadResult:
    """One-row autocommit INSERTs from CONCURRENCY async connections."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_scratch ("
                           " id bigserial PRIMARY KEY, v text NOT NULL,"
                           " at timestamptz NOT NULL DEFAULT now())")
    conns: list[psycopg.AsyncConnection] = []

    async def make(_: int) -> Op:
        conn = await psycopg.AsyncConnection.connect(database_url, autocommit=True)
        conns.append(conn)

        async def op() -> str:
            await conn.execute("INSERT INTO bench_scratch (v) VALUES (%s)", ("bench",))
            return "ok"
        return op

    try:
        meter = CpuMeter.window(roles, WARMUP, DURATION) if roles else None
        load = await closed_loop(make, CONCURRENCY, WARMUP, DURATION)
        load.cpu = meter.summary(load.counts["ok"], "INSERT") if meter else ""
        return load
    finally:
        for conn in conns:
            await conn.close()


def _round_robin(requests: list[bytes], turn: Iterator[int]) -> bytes:
    return requests[next(turn) % len(requests)]


def _summary(load: LoadResult, ok: str) -> str:
    ms = [x * 1000 for x in load.latencies]
    errors = load.others(ok)
    return (f"latency p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms; "
            f"non-{ok} outcomes: {errors or 'none'}")


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("http_commands", servers) as env:
        env.start_pipeline()
        say(NAME, "baseline: raw INSERTs")
        before = asyncio.run(insert_baseline(env.database_url, env.roles()))
        say(NAME, "peer: the eventsourcing library's Application.save()")
        peer = save_rate(env.database_url, CONCURRENCY, WARMUP, DURATION)
        figures: list[tuple[int, str, LoadResult]] = []
        for workers in (1, 2):
            host, port = env.start_api(workers)
            for consistency in ("default", "eventual"):
                orgs = onboard_orgs(env.settings, ORGS)  # fresh accounts: same load cost per case
                env.wait_for_projections()
                headers = [{"Authorization": f"Bearer {admin_token(env.settings, o)}",
                            "Content-Type": "application/json"} for o in orgs]
                if consistency == "eventual":
                    for h in headers:
                        h["X-Consistency"] = "eventual"
                requests = [http_request("POST", "/api/v1/billing/topup", host, port, h, BODY)
                            for h in headers]
                next_request = functools.partial(_round_robin, requests, itertools.count())
                say(NAME, f"topup, {workers} worker(s), {consistency}")
                profile = Profile(f"topup-w{workers}-{consistency}",
                                  {n: env.pids(n)[0] for n in ("api", "relay", "projector")},
                                  WARMUP, DURATION)
                meter = CpuMeter.window(env.roles(), WARMUP, DURATION)
                load = asyncio.run(closed_loop(
                    http_op(host, port, next_request),
                    CONCURRENCY, WARMUP, DURATION))
                load.cpu = meter.summary(load.counts["200"])
                profile.finish()
                figures.append((workers, consistency, load))
            env.stop("api")
        say(NAME, "baseline again: raw INSERTs")
        after = asyncio.run(insert_baseline(env.database_url, env.roles()))
    baseline = (before.rate("ok") + after.rate("ok")) / 2
    results = []
    for workers, consistency, load in figures:
        results.append(Result(
            bench=NAME, case=f"topup, --workers {workers}, {consistency} consistency",
            unit="req/s", baseline_label="raw INSERT, 32 conns", baseline=baseline,
            figure=load.rate("200"), target=TARGET, target_text=at_least(TARGET),
            notes=[_summary(load, "200"), load.cpu]))
    for workers, consistency, load in figures:
        results.append(Result(
            bench=NAME, case=f"topup, --workers {workers}, {consistency} consistency, vs peer",
            unit="req/s", baseline_label="eventsourcing Application.save(), 32 threads",
            baseline=peer.rate("ok"), figure=load.rate("200"), target=PEER_TARGET,
            target_text=at_least(PEER_TARGET), notes=[]))
    results[len(figures)].notes.append("peer " + _summary(peer, "ok"))
    results[0].notes.insert(0, f"baseline runs {before.rate('ok'):,.0f} and "
                               f"{after.rate('ok'):,.0f} INSERT/s (mean used); "
                               + _summary(before, "ok") + "; " + before.cpu)
    return results


if __name__ == "__main__":
    main(run, "http_commands")

"""Bench 4 — `GET /api/v1/billing/balance` with a JWT (req/s, 200s only), against a bare
Litestar hello-world app (`bench/hello_app.py`) served the same way (uvicorn, same options,
same worker count) and driven by the same client: 32 keep-alive connections. A third,
diagnostic row serves both with uvicorn's 2-worker socket patched to get TCP_NODELAY. The tenant is
made and signed in with `tests.e2e.helpers.new_tenant` (real `POST /auth/login`). Both with
1 and with 2 workers; relay and projector run (idle) as in production.

    .venv/bin/python -m bench.balance_reads
"""

from __future__ import annotations

import asyncio

from adapters.embedded import EmbeddedServers
from bench.cli import main, say
from bench.load import LoadResult, closed_loop, http_op, http_request
from bench.measure import CpuMeter, percentile
from bench.profiles import Profile
from bench.report import Result, at_least
from bench.servers import BenchEnv, serve_asgi, stop_process
from tests.e2e.helpers import new_tenant
from tests.support import Stack

NAME = "4 balance_reads"
CONCURRENCY = 32
WARMUP = 3.0
DURATION = 8.0
TARGET = 0.6


def _load(env: BenchEnv, host: str, port: int, request: bytes,
          extra: dict[str, int] | None = None) -> LoadResult:
    meter = CpuMeter.window({**env.roles(), **(extra or {})}, WARMUP, DURATION)
    load = asyncio.run(closed_loop(http_op(host, port, lambda: request), CONCURRENCY,
                                   WARMUP, DURATION))
    load.cpu = meter.summary(load.counts["200"])
    return load


def _summary(load: LoadResult) -> str:
    ms = [x * 1000 for x in load.latencies]
    return (f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
            f"non-200: {load.others('200') or 'none'}")


CASES = [(1, False), (2, False), (2, True)]
"""(workers, nodelay_fix): the last is a diagnostic (uvicorn's multi-worker socket patched to
get TCP_NODELAY, see `bench/nodelay.py`), not the shipping code."""


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    results = []
    with BenchEnv("balance_reads", servers) as env:
        env.start_pipeline()
        for workers, fix in CASES:
            label = f"--workers {workers}" + (" + TCP_NODELAY patch (diagnostic)" if fix else "")
            host, port = env.start_api(workers, nodelay_fix=fix)
            tenant = new_tenant(Stack(env.settings, f"http://{host}:{port}", env.processes))
            request = http_request("GET", "/api/v1/billing/balance", host, port,
                                   {"Authorization": tenant.headers["Authorization"]})
            say(NAME, f"balance, {label}")
            profile = Profile(f"balance-w{workers}{'-nodelay' if fix else ''}",
                              {"api": env.pids("api")[0]}, WARMUP, DURATION)
            balance = _load(env, host, port, request)
            profile.finish()
            env.stop("api")
            say(NAME, f"hello world, {label}")
            proc, hello_port = serve_asgi("bench.hello_app:app", workers,
                                          env.home / f"hello-{workers}-{fix}.log", fix)
            try:
                hello = _load(env, host, hello_port, http_request("GET", "/", host, hello_port),
                              {"hello app": proc.pid})
            finally:
                stop_process(proc)
            results.append(Result(
                bench=NAME, case=f"GET /billing/balance, {label}", unit="req/s",
                baseline_label="Litestar hello world, same serving", baseline=hello.rate("200"),
                figure=balance.rate("200"), target=None if fix else TARGET,
                target_text="—" if fix else at_least(TARGET),
                notes=[f"balance {_summary(balance)}; {balance.cpu}",
                       f"hello world {_summary(hello)}; {hello.cpu}"]))
            hello_ms = [x * 1000 for x in hello.latencies]
            if percentile(hello_ms, 50) > 30:
                results[-1].caveat = "artifact: both capped by the 40 ms delayed ACK"
                results[-1].notes.insert(0, (
                    "NOT a real pass: every keep-alive response waits ≈ 40 ms for the client's "
                    "delayed ACK (uvicorn's multi-worker socket lacks TCP_NODELAY), which caps "
                    f"both at ≈ {CONCURRENCY} / 44 ms ≈ 730 req/s; see the diagnostic row"))
    return results


if __name__ == "__main__":
    main(run, "balance_reads")

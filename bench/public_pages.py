"""Bench 13 — public page serving: `GET /p/<slug>` (a published HTML page, seed 002) and `GET
/api/ai-pages/public/pages/<organization>/<slug>/` (a published landing page, seed 000),
each counting a view, against a bare Litestar hello world (`bench/hello_app.py`) served the
same way (uvicorn, one worker) and driven by the same client: 32 keep-alive connections.
Afterwards each page's view counter must equal the 200 answers the client got, warm-up
included — every view counted once, none lost under concurrency.

    .venv/bin/python -m bench.public_pages
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx

from adapters.embedded import EmbeddedServers
from bench.cli import main, say
from bench.load import LoadResult, Op, closed_loop, http_op, http_request
from bench.measure import CpuMeter, percentile
from bench.report import Result, at_least
from bench.servers import BenchEnv, serve_asgi, stop_process
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

NAME = "13 public_pages"
CONCURRENCY = 32
WARMUP = 3.0
DURATION = 8.0
TARGET = 0.5
PAGE_HTML = ("<!DOCTYPE html><html><head><title>Sale</title></head><body><h1>Winter sale</h1>"
             "<p id=\"page\">{{PAGE_ID}}</p>" + "<p>Warm coats and boots for the cold.</p>" * 40
             + "</body></html>")


def _counting(make: Callable[[int], Awaitable[Op]],
              total: Counter[str]) -> Callable[[int], Awaitable[Op]]:
    """The same ops, also counting every outcome (warm-up included) into `total`."""
    async def wrapped(k: int) -> Op:
        op = await make(k)

        async def counted() -> str:
            outcome = await op()
            total[outcome] += 1
            return outcome
        return counted
    return wrapped


def _load(env: BenchEnv, host: str, port: int, request: bytes, total: Counter[str],
          extra: dict[str, int] | None = None) -> LoadResult:
    meter = CpuMeter.window({**env.roles(), **(extra or {})}, WARMUP, DURATION)
    load = asyncio.run(closed_loop(_counting(http_op(host, port, lambda: request), total),
                                   CONCURRENCY, WARMUP, DURATION))
    load.cpu = meter.summary(load.counts["200"])
    return load


def _summary(load: LoadResult) -> str:
    ms = [x * 1000 for x in load.latencies]
    return (f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
            f"non-200: {load.others('200') or 'none'}")


def _pages(base: str, tenant: Tenant) -> tuple[str, str, int, int]:
    """A published HTML page and a published landing page: their paths and ids."""
    html = httpx.post(f"{base}/api/pages", headers=tenant.headers, timeout=30, json={
        "name": "Bench winter sale", "html_content": PAGE_HTML, "is_published": True}).json()
    landing = httpx.post(f"{base}/api/ai-pages/pages/", headers=tenant.headers, timeout=30,
                         json={"slug": "winter", "title": "Winter", "published": True}).json()
    org = httpx.get(f"{base}/api/v1/organization", headers=tenant.headers, timeout=30).json()
    return (f"/p/{html['page']['slug']}",
            f"/api/ai-pages/public/pages/{org['slug']}/winter/",
            int(html["page"]["id"]), int(landing["id"]))


def _views(base: str, tenant: Tenant, html_id: int, landing_id: int) -> tuple[int, int]:
    html = httpx.get(f"{base}/api/pages/{html_id}", headers=tenant.headers, timeout=30).json()
    landing = httpx.get(f"{base}/api/ai-pages/pages/{landing_id}/", headers=tenant.headers,
                        timeout=30).json()
    return int(html["page"]["views"]), int(landing["view_count"])


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    results = []
    with BenchEnv("public_pages", servers) as env:
        env.start_pipeline()
        host, port = env.start_api(1)
        base = f"http://{host}:{port}"
        tenant = new_tenant(Stack(env.settings, base, env.processes))
        html_path, landing_path, html_id, landing_id = _pages(base, tenant)
        answered: dict[str, Counter[str]] = {"html": Counter(), "landing": Counter()}
        loads = {}
        for kind, path in (("html", html_path), ("landing", landing_path)):
            say(NAME, f"GET {path}")
            loads[kind] = _load(env, host, port, http_request("GET", path, host, port, {}),
                                answered[kind])
        views = _views(base, tenant, html_id, landing_id)
        env.stop("api")
        say(NAME, "hello world")
        proc, hello_port = serve_asgi("bench.hello_app:app", 1, env.home / "hello.log", False)
        try:
            hello = _load(env, host, hello_port, http_request("GET", "/", host, hello_port),
                          Counter(), {"hello app": proc.pid})
        finally:
            stop_process(proc)
        cases = (("html", "/p/<slug>"), ("landing", "/api/ai-pages/public/pages/<org>/<slug>/"))
        for (kind, label), counted in zip(cases, views, strict=True):
            exact = counted == answered[kind]["200"]
            results.append(Result(
                bench=NAME, case=f"GET {label}",
                unit="req/s", baseline_label="Litestar hello world, same serving",
                baseline=hello.rate("200"), figure=loads[kind].rate("200"), target=TARGET,
                target_text=at_least(TARGET),
                notes=[f"{kind} {_summary(loads[kind])}; {loads[kind].cpu}",
                       f"views counted {counted} for {answered[kind]['200']} answers of 200:"
                       f" {'exact' if exact else 'NOT EXACT'}",
                       f"hello world {_summary(hello)}; {hello.cpu}"],
                caveat="" if exact else "view counts not exact"))
    return results


if __name__ == "__main__":
    main(run, "public_pages")

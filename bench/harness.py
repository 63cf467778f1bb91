"""What the benchmarks share: embedded servers in a temporary folder, a fresh migrated database,
copydesk's processes, organizations and events made quickly, a raw asyncio HTTP/1.1 client and
a closed-loop load runner, and the results table.

The servers, the database and the processes come from the test support code
(`adapters.embedded.EmbeddedServers`, `tests.support.fresh_database`, `tests.support.Processes`),
so the benchmarks run copydesk exactly as the end-to-end tests do.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.logging import configure_logging
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from api.tokens import issue_access_token
from commands.bus import CommandBus
from commands.onboarding import OnboardOrganization, onboard_organization
from commands.ports import EventMeta, NewEvent
from domain.billing.account import billing_account_id
from domain.billing.events import ToppedUp
from tests.support import (
    ROOT,
    Processes,
    _answers,
    fresh_database,
    free_port,
    store_position,
    wait_for_projections,
    wait_until,
)

META = EventMeta(actor_type="system", actor_id="bench")


# -- results ------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    """One row: a figure against its baseline, measured in the same run."""

    bench: str
    case: str
    unit: str
    baseline_label: str
    baseline: float
    figure: float
    target: float
    higher_is_better: bool = True
    """False for latencies: the ratio is then figure / baseline and the target is absolute."""
    target_text: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def ratio(self) -> float:
        if self.higher_is_better:
            return self.figure / self.baseline if self.baseline else 0.0
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.figure <= self.target


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(results: Sequence[Result]) -> str:
    lines = ["| benchmark | case | baseline | figure | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(
            f"| {r.bench} | {r.case} | {_num(r.baseline)} {r.unit} ({r.baseline_label}) "
            f"| {_num(r.figure)} {r.unit} | {r.ratio:.2f}× | {r.target_text} "
            f"| {'yes' if r.met else '**no**'} |")
    return "\n".join(lines)


def report(results: Sequence[Result]) -> str:
    notes = [f"- {r.bench} / {r.case}: {n}" for r in results for n in r.notes]
    return table(results) + ("\n\n" + "\n".join(notes) if notes else "")


def machine() -> str:
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def say(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


# -- servers, database, processes -------------------------------------------------------


class BenchEnv:
    """Embedded PostgreSQL + NATS (own ones, or shared ones given), a fresh migrated database
    with its own JetStream stream, and copydesk processes; everything it started is stopped
    on exit."""

    def __init__(self, name: str, servers: EmbeddedServers | None = None) -> None:
        self.name = name
        self.home = Path(tempfile.mkdtemp(prefix=f"copydesk-bench-{name}-"))
        self._own_servers = servers is None
        self.servers = servers
        self.settings: Settings
        self.processes: Processes

    def __enter__(self) -> BenchEnv:
        configure_logging("warning")
        try:
            if self.servers is None:
                self.servers = EmbeddedServers(self.home / "servers").start()
            os.environ["COPYDESK_TEST_NATS_URL"] = self.servers.nats_url
            self.settings = fresh_database(self.servers.database_url, self.home)
            self.processes = Processes(self.settings, self.home)
        except BaseException:
            self._stop_servers()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.processes.stop_all()
        finally:
            with contextlib.suppress(Exception):
                self._drop_database()
            self._stop_servers()
            if exc[0] is not None or os.environ.get("BENCH_KEEP"):
                say(f"logs kept in {self.home}")
            else:
                shutil.rmtree(self.home, ignore_errors=True)

    def _stop_servers(self) -> None:
        if self._own_servers and self.servers is not None:
            self.servers.stop()

    def _drop_database(self) -> None:
        assert self.servers is not None
        name = psycopg.conninfo.conninfo_to_dict(self.settings.database_url)["dbname"]
        with psycopg.connect(self.servers.database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    @property
    def nats_url(self) -> str:
        return self.settings.nats_url

    def start_pipeline(self) -> None:
        """The relay and the projector, as processes."""
        self.processes.start("relay", "relay")
        self.processes.start("projector", "projector")

    def start_api(self, workers: int = 1) -> tuple[str, int]:
        """`copydesk api --workers N` on a free loopback port; (host, port) once it answers."""
        port = free_port()
        self.processes.start("api", "api", "--port", str(port), "--workers", str(workers))
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/api/health"), 60, "the API to start")
        return "127.0.0.1", port

    def stop(self, name: str) -> None:
        if name in self.processes.running:
            self.processes.kill(name, signal.SIGTERM)

    def pids(self, name: str) -> list[int]:
        """The process and its children (uvicorn workers), for profiling."""
        proc = self.processes.running[name]
        out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        return [proc.pid] + [int(p) for p in out.stdout.split()]

    def wait_for_projections(self, seconds: float = 60) -> None:
        wait_for_projections(self.settings, seconds)

    def store_position(self) -> int:
        return store_position(self.settings)


def serve_asgi(app: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Another ASGI app served exactly as `copydesk api` serves its own (uvicorn, same options)."""
    port = free_port()
    code = ("import sys, uvicorn; uvicorn.run(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]),"
            " workers=int(sys.argv[3]), log_level='warning', access_log=False, lifespan='on')")
    proc = subprocess.Popen([sys.executable, "-c", code, app, str(port), str(workers)], cwd=ROOT,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/"), 60, f"{app} to start")
    except BaseException:
        stop_process(proc)
        raise
    return proc, port


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# -- organizations and events -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Org:
    org_id: UUID
    admin_id: UUID


def onboard_orgs(settings: Settings, count: int, threads: int = 8) -> list[Org]:
    """`count` organizations onboarded through the real command bus and store (concurrent
    commands, so the store groups their appends)."""
    store = PostgresEventStore(settings.database_url, pool_size=threads, max_overflow=threads)
    bus = CommandBus(store)

    def one(_: int) -> Org:
        org_id, admin_id = uuid4(), uuid4()
        bus.execute(onboard_organization, OnboardOrganization(
            org_id=org_id, name=f"Bench {org_id.hex[:12]}", admin_user_id=admin_id,
            admin_email=f"bench-{org_id.hex[:16]}@example.test",
            admin_password_hash="not-a-real-hash"), META)
        return Org(org_id, admin_id)

    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(one, range(count)))
    finally:
        store.close()


def admin_token(settings: Settings, org: Org, minutes: int = 240) -> str:
    """The access token `POST /auth/login` would give the organization's admin (same function,
    same key), without spending an argon2 verification per organization."""
    return issue_access_token(settings.secret_key, user_id=org.admin_id, org_id=org.org_id,
                              role="admin", minutes=minutes)


def append_top_ups(settings: Settings, orgs: Sequence[Org], per_org: int, threads: int = 4,
                   chunk: int = 1000) -> float:
    """`per_org` ToppedUp events on each organization's billing account, appended through
    `PostgresEventStore.append` in chunks of `chunk` events from `threads` writers (each owns a
    share of the accounts, so versions never clash); the seconds it took."""
    store = PostgresEventStore(settings.database_url, pool_size=threads, max_overflow=threads)
    versions = {o.org_id: len(store.load(billing_account_id(o.org_id))) for o in orgs}

    def writer(share: Sequence[Org]) -> None:
        batch: list[NewEvent] = []
        for _ in range(per_org):
            for org in share:
                versions[org.org_id] += 1
                batch.append(NewEvent(
                    aggregate_id=billing_account_id(org.org_id),
                    aggregate_version=versions[org.org_id],
                    event=ToppedUp(org_id=org.org_id, transaction_id=uuid4(),
                                   amount=Decimal("1.00"), description="bench")))
                if len(batch) >= chunk:
                    store.append(batch, META)
                    batch = []
        if batch:
            store.append(batch, META)

    started = time.monotonic()
    try:
        workers = [threading.Thread(target=writer, args=(orgs[k::threads],))
                   for k in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        store.close()
    return time.monotonic() - started


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(q / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


# -- a raw HTTP/1.1 keep-alive client ---------------------------------------------------


def http_request(method: str, path: str, host: str, port: int,
                 headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """The bytes of one HTTP/1.1 request (keep-alive)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpConnection:
    """One keep-alive connection: write the request, read the status line, the headers and a
    Content-Length body. No parsing beyond that, so the client costs little per request."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.reader = self.writer = None

    async def request(self, data: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        headers: dict[bytes, bytes] = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name:
                headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return status, headers, body


@dataclasses.dataclass
class LoadResult:
    """Outcomes counted in the measured window (after the warm-up)."""

    counts: Counter[str]
    seconds: float
    latencies: list[float]

    def rate(self, outcome: str) -> float:
        return self.counts[outcome] / self.seconds

    def others(self, ok: str) -> dict[str, int]:
        return {k: v for k, v in self.counts.items() if k != ok}


Op = Callable[[], Awaitable[str]]


async def closed_loop(make_op: Callable[[int], Awaitable[Op]], concurrency: int,
                      warmup: float, duration: float) -> LoadResult:
    """`concurrency` tasks, each running its op back to back for `warmup + duration` seconds;
    the outcomes (the op's return value, or the exception's name) completed in the last
    `duration` seconds."""
    loop = asyncio.get_running_loop()
    ops = [await make_op(k) for k in range(concurrency)]
    start = loop.time()
    measure_from, end = start + warmup, start + warmup + duration
    counts: Counter[str] = Counter()
    latencies: list[float] = []

    async def task(op: Op) -> None:
        while True:
            t0 = loop.time()
            if t0 >= end:
                return
            try:
                outcome = await op()
            except Exception as error:  # counted, then go on (the op reconnects)
                outcome = type(error).__name__
                await asyncio.sleep(0.01)
            t1 = loop.time()
            if t1 >= measure_from and t1 < end:
                counts[outcome] += 1
                latencies.append(t1 - t0)

    await asyncio.gather(*(task(op) for op in ops))
    return LoadResult(counts, duration, latencies)


def http_op(host: str, port: int, requests: Callable[[], bytes]) -> Callable[[int], Awaitable[Op]]:
    """Ops that send `requests()` on one keep-alive connection each; the outcome is the status
    code."""
    async def make(_: int) -> Op:
        conn = HttpConnection(host, port)
        await conn.open()

        async def op() -> str:
            try:
                status, _, _ = await conn.request(requests())
            except Exception:
                await conn.close()
                raise
            return str(status)
        return op
    return make


def run(coro: Awaitable[object]) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


@contextlib.contextmanager
def timed(what: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    say(f"{what}: {time.monotonic() - started:.1f}s")

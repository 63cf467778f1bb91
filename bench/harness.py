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
    free_port,
    fresh_database,
    store_position,
    wait_for_projections,
    wait_until,
)
from workers.runtime import child_env

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
    target: float | None
    """A ratio to reach (higher is better) or an absolute figure not to exceed (lower is
    better); None: reported for information."""
    higher_is_better: bool = True
    """False for latencies: the ratio is then figure / baseline and the target is absolute."""
    target_text: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    caveat: str = ""
    """Why the verdict should not be taken at face value (shown beside it)."""

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.figure <= self.target


def at_least(ratio: float) -> str:
    return f"\u2265 {ratio}\u00d7"


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _met(met: bool | None) -> str:
    return "—" if met is None else "yes" if met else "**no**"


def table(results: Sequence[Result]) -> str:
    lines = ["| benchmark | case | baseline | figure | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(
            f"| {r.bench} | {r.case} | {_num(r.baseline)} {r.unit} ({r.baseline_label}) "
            f"| {_num(r.figure)} {r.unit} | {r.ratio:.2f}\u00d7 | {r.target_text} "
            f"| {_met(r.met)}{' — ' + r.caveat if r.caveat else ''} |")
    return "\n".join(lines)


def report(results: Sequence[Result]) -> str:
    notes = [f"- {r.bench} / {r.case}: {n}" for r in results for n in r.notes]
    return table(results) + ("\n\n" + "\n".join(notes) if notes else "")


def source_version() -> str:
    """The commit measured, and whether files outside bench/ differ from it (read-only git)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT,
                                  capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no")
               .splitlines() if not line[3:].startswith(("bench/", "BENCHMARKS.md"))]
    return f"commit {commit}" + (f" + local changes in {', '.join(changed)}" if changed else "")


def machine() -> str:
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {source_version()}, {os.cpu_count()} "
            f"cores, {platform.python_implementation()} {platform.python_version()}, "
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
        exit_on_sigterm()
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

    def start_api(self, workers: int = 1, nodelay_fix: bool = False) -> tuple[str, int]:
        """`copydesk api --workers N` on a free loopback port; (host, port) once it answers.
        `nodelay_fix`: through `bench.nodelay` (uvicorn's multi-worker socket patched to get
        TCP_NODELAY), a diagnostic variant, not the shipping code."""
        port = free_port()
        args = ("api", "--port", str(port), "--workers", str(workers))
        if nodelay_fix:
            log = open(self.home / f"api-nodelay-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
            env = {**child_env(self.settings), "COPYDESK_LOG_LEVEL": "info"}  # as Processes
            self.processes.running["api"] = subprocess.Popen(
                [sys.executable, "-m", "bench.nodelay", *args], env=env, cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT)
        else:
            self.processes.start("api", *args)
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/api/health"), 60, "the API to start")
        return "127.0.0.1", port

    def stop(self, name: str) -> None:
        if name in self.processes.running:
            self.processes.kill(name, signal.SIGTERM)

    def roles(self) -> dict[str, int]:
        """Process trees by role, for `CpuMeter`: copydesk's processes, PostgreSQL's
        postmaster, nats-server, and this process (the load generator)."""
        assert self.servers is not None
        roles = {name: proc.pid for name, proc in self.processes.running.items()}
        postmaster = self.servers.home / "pgdata" / "postmaster.pid"
        if postmaster.exists():
            roles["postgres"] = int(postmaster.read_text().split()[0])
        nats = getattr(self.servers, "_nats", None)
        if nats is not None:
            roles["nats"] = nats.pid
        roles["bench client"] = os.getpid()
        return roles

    def pids(self, name: str) -> list[int]:
        """The process and its children (uvicorn workers), for profiling."""
        proc = self.processes.running[name]
        out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        return [proc.pid] + [int(p) for p in out.stdout.split()]

    def wait_for_projections(self, seconds: float = 60) -> None:
        wait_for_projections(self.settings, seconds)

    def store_position(self) -> int:
        return store_position(self.settings)


def exit_on_sigterm() -> None:
    """SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so everything started is stopped."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def serve_asgi(app: str, workers: int, log: Path,
               nodelay_fix: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    """Another ASGI app served exactly as `copydesk api` serves its own (uvicorn, same options;
    `nodelay_fix`: with `bench.nodelay`'s patch)."""
    port = free_port()
    code = ("import sys, uvicorn; uvicorn.run(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]),"
            " workers=int(sys.argv[3]), log_level='warning', access_log=False, lifespan='on')")
    command = (["-m", "bench.nodelay", "--uvicorn"] if nodelay_fix else ["-c", code])
    proc = subprocess.Popen([sys.executable, *command, app, str(port), str(workers)], cwd=ROOT,
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


APPEND_EVENTS_MAX = 1000
"""Events in flight at once through one store. The store's writer puts concurrent appends in
one transaction; before commit b30c875 that transaction ran in psycopg's pipeline mode, where
≈ 2,000 ToppedUp events (≈ 1 MB of parameters) hung for good (`bench/pipeline_hang.py`).
Kept small so the figures stay comparable across versions."""


def append_top_ups(settings: Settings, orgs: Sequence[Org], per_org: int, threads: int = 2,
                   chunk: int = 500, timeout: float = 300) -> float:
    """`per_org` ToppedUp events on each organization's billing account, appended through
    `PostgresEventStore.append` in chunks of `chunk` events from `threads` writers (each owns a
    share of the accounts, so versions never clash); the seconds it took."""
    assert threads * chunk <= APPEND_EVENTS_MAX, "bigger groups hung the store's writer"
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
    workers: list[threading.Thread] = []
    try:
        failed: list[BaseException] = []

        def guarded(share: Sequence[Org]) -> None:
            try:
                writer(share)
            except BaseException as error:
                failed.append(error)

        workers = [threading.Thread(target=guarded, args=(orgs[k::threads],), daemon=True)
                   for k in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(max(0.0, started + timeout - time.monotonic()))
        if any(w.is_alive() for w in workers):
            raise RuntimeError(f"appends still running after {timeout:.0f} s: the store hangs")
        if failed:
            raise failed[0]
    finally:
        if not any(w.is_alive() for w in workers):
            store.close()
    return time.monotonic() - started


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
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
    cpu: str = ""

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


# -- profiles (BENCH_PROFILE=DIR) -------------------------------------------------------


def profiling() -> Path | None:
    """Where profiles go when `BENCH_PROFILE=DIR` is set (py-spy must be installed)."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        return None
    path = Path(folder).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class Profile:
    """py-spy samples (raw collapsed stacks) of each named process and its children, from
    `delay` seconds on for `duration` seconds, in a background thread; a no-op unless
    BENCH_PROFILE is set."""

    def __init__(self, name: str, pids: dict[str, int], delay: float, duration: float) -> None:
        self.folder = profiling()
        self.name = name
        self.files: dict[str, Path] = {}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._thread: threading.Thread | None = None
        if self.folder is None:
            return
        folder = self.folder
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

        def record() -> None:
            time.sleep(delay)
            for role, pid in pids.items():
                out = folder / f"{name}-{role}.txt"
                self.files[role] = out
                self._procs.append(subprocess.Popen(
                    [spy, "record", "--pid", str(pid), "--duration", str(int(duration)),
                     "--format", "raw", "--output", str(out), "--nonblocking", "--subprocesses", "--gil",
                     "--nolineno", "--rate", "200"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

        self._thread = threading.Thread(target=record, daemon=True)
        self._thread.start()

    def finish(self) -> str:
        """Wait for the samples; a summary per process (also written beside them), or ""."""
        if self._thread is None or self.folder is None:
            return ""
        self._thread.join()
        for proc in self._procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        text = "\n".join(summarize_profile([path], f"{self.name}: {role}")
                         for role, path in self.files.items() if path.exists())
        (self.folder / f"{self.name}-summary.md").write_text(text)
        say(f"profile of {self.name} in {self.folder}")
        return text


def summarize_profile(files: Sequence[Path], title: str, top: int = 25) -> str:
    """Self and inclusive shares of the sampled functions (only samples holding the GIL)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for path in files:
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [f for f in stack.split(";") if not f.startswith("process ")]
            if not frames:
                continue
            total += count
            own[frames[-1]] += count
            for frame in set(frames):
                inclusive[frame] += count
    if not total:
        return f"### {title}: no samples\n"
    lines = [f"### {title}: {total} samples", "", "| self % | function |", "| --- | --- |"]
    lines += [f"| {100 * n / total:.1f} | `{f}` |" for f, n in own.most_common(top)]
    lines += ["", "| inclusive % | function |", "| --- | --- |"]
    lines += [f"| {100 * n / total:.1f} | `{f}` |" for f, n in inclusive.most_common(top)]
    return "\n".join(lines) + "\n"


# -- CPU time per process (from /proc) ------------------------------------------------


def _cpu_snapshot() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far, all threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return out


class CpuMeter:
    """CPU seconds spent by each named process tree (a process counts for its nearest named
    ancestor) between `start()` and `stop()`, or in a window `delay` seconds from now for
    `duration` seconds (`window`); nothing is sampled, so it slows nothing down."""

    def __init__(self, roles: dict[str, int]) -> None:
        self.roles = roles
        self.used: dict[str, float] = {}
        self.seconds = 0.0
        self._before: dict[int, tuple[int, float]] = {}
        self._started = 0.0
        self._thread: threading.Thread | None = None

    @classmethod
    def window(cls, roles: dict[str, int], delay: float, duration: float) -> CpuMeter:
        meter = cls(roles)

        def measure() -> None:
            time.sleep(delay)
            meter.start()
            time.sleep(duration)
            meter.stop()

        meter._thread = threading.Thread(target=measure, daemon=True)
        meter._thread.start()
        return meter

    def start(self) -> None:
        self._started = time.monotonic()
        self._before = _cpu_snapshot()

    def stop(self) -> None:
        after = _cpu_snapshot()
        self.seconds = time.monotonic() - self._started
        before = self._before
        by_pid = {pid: role for role, pid in self.roles.items()}
        used: dict[str, float] = {}
        for pid, (_, seconds) in after.items():
            role, cursor, hops = None, pid, 0
            while cursor > 1 and hops < 64:
                role = by_pid.get(cursor)
                if role:
                    break
                cursor, hops = after.get(cursor, before.get(cursor, (0, 0.0)))[0], hops + 1
            key = role or "other"
            used[key] = used.get(key, 0.0) + seconds - before.get(pid, (0, 0.0))[1]
        self.used = used

    def summary(self, per: float = 0.0, unit: str = "request") -> str:
        """CPU per process tree (100% = one core), and ms per `unit` when `per` (how many
        units were done in the window) is given."""
        if self._thread is not None:
            self._thread.join()
        cores = os.cpu_count() or 1
        total = sum(self.used.values())
        parts = []
        for role, seconds in sorted(self.used.items(), key=lambda kv: -kv[1]):
            if seconds < 0.01 * self.seconds:
                continue
            text = f"{role} {100 * seconds / self.seconds:.0f}%"
            if per:
                text += f" = {1000 * seconds / per:.2f} ms/{unit}"
            parts.append(text)
        busy = 100 * total / (self.seconds * cores)
        return (f"CPU (100% = one core; the {cores} cores were {busy:.0f}% busy): "
                + ", ".join(parts))


@contextlib.contextmanager
def cprofiled(name: str) -> Iterator[None]:
    """cProfile of this process for the block (its top functions written to BENCH_PROFILE);
    a no-op unless BENCH_PROFILE is set."""
    folder = profiling()
    if folder is None:
        yield
        return
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        (folder / f"{name}-cprofile.txt").write_text(text.getvalue())
        say(f"profile of {name} in {folder}")


def main(run_bench: Callable[[], list[Result]], module: str) -> None:
    """What `python -m bench.<module>` does: run it on servers of its own, print the table."""
    exit_on_sigterm()
    started = time.monotonic()
    results = run_bench()
    print(f"Measured {machine()}; command: `.venv/bin/python -m bench.{module}`; wall time "
          f"{time.monotonic() - started:.0f} s.\n")
    print(report(results))

"""Servers and processes for a benchmark: embedded PostgreSQL and NATS in a temporary folder,
a fresh migrated database, copydesk's processes (`BenchEnv`), and other ASGI apps served as
`copydesk api` is.

The servers, the database and the processes come from the test support code
(`adapters.embedded.EmbeddedServers`, `tests.support.fresh_database`, `tests.support.Processes`),
so the benchmarks run copydesk exactly as the end-to-end tests do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from adapters.embedded import EmbeddedServers
from adapters.logging import configure_logging
from adapters.settings import Settings
from bench.cli import exit_on_sigterm, say
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

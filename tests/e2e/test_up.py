"""The README's first command, `copydesk up`, on a fresh home: it starts its own embedded
PostgreSQL and NATS, every process (API, relay, projector, worker, blog scheduler, store
auto-sync), prints where it runs and the demo organization's login, which works, and stops
everything on Ctrl-C."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import ROOT, free_port, wait_until

PARTS = ("api", "relay", "projector", "worker", "blog-scheduler", "autosync")


def _children(pid: int) -> dict[int, str]:
    """The copydesk processes `pid` started: pid → command line."""
    found = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True,
                           text=True, check=False).stdout
    pairs = (line.strip().split(" ", 1) for line in found.splitlines() if "workers.cli" in line)
    return {int(child): args for child, args in pairs}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_copydesk_up_runs_every_part_logs_in_the_demo_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COPYDESK_", "DATABASE_URL", "NATS_URL"))}
    env["COPYDESK_HOME"] = str(tmp_path / "home")
    output = (tmp_path / "up.log").open("w+b")
    up = subprocess.Popen([sys.executable, "-m", "workers.cli", "up", "--port", str(port)],
                          cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        def printed() -> str:
            output.flush()
            return (tmp_path / "up.log").read_text(errors="replace")

        wait_until(lambda: "Press Ctrl-C to stop." in printed(), 180, "copydesk up to start")
        text = printed()
        assert f"copydesk is running at http://127.0.0.1:{port}" in text
        login = re.search(r'POST (\S+) with (\{.*\})', text)
        assert login is not None, text
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/api/health"), 60, "the API")
        signed_in = httpx.post(login.group(1), content=login.group(2),
                               headers={"Content-Type": "application/json"}, timeout=30)
        assert signed_in.status_code == 200 and signed_in.json()["access_token"], signed_in.text
        children = _children(up.pid)
        running = " ".join(children.values())
        for part in PARTS:
            assert f"workers.cli {part}" in running, (part, running)

        up.send_signal(signal.SIGINT)
        assert up.wait(90) == 0, printed()
        assert "copydesk stopped." in printed()
        deadline = time.monotonic() + 10
        while any(_alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [args for child, args in children.items() if _alive(child)]
    finally:
        if up.poll() is None:
            up.kill()
            up.wait(30)
        output.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False

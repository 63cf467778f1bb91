"""A stack of its own for the blog media tests (relay, projector, API; no worker: nothing
they do is a job), started with patience: on a loaded machine the API may take longer than
the usual 30 s to answer its health check, and every process is stopped even when it never
did."""

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.support import Processes, Stack, free_port, fresh_database, wait_until

API_START_SECONDS = 120


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def media_stack(admin_url: str, home: Path, **changes: Any) -> Iterator[Stack]:
    settings = dataclasses.replace(fresh_database(admin_url, home), **changes)
    procs = Processes(settings, home)
    try:
        procs.start("relay", "relay")
        procs.start("projector", "projector")
        port = free_port()
        procs.start("api", "api", "--port", str(port))
        base_url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _healthy(base_url + "/api/health"), API_START_SECONDS,
                   "the API to start")
        yield Stack(settings=settings, base_url=base_url, processes=procs)
    finally:
        procs.stop_all()

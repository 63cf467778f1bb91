"""Running a benchmark as a program: progress lines on stderr, SIGTERM unwinding like Ctrl-C,
and what `python -m bench.<module>` does."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable

from bench.report import Result, machine, report


def say(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


def exit_on_sigterm() -> None:
    """SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so everything started is stopped."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main(run_bench: Callable[[], list[Result]], module: str) -> None:
    """What `python -m bench.<module>` does: run it on servers of its own, print the table."""
    exit_on_sigterm()
    started = time.monotonic()
    results = run_bench()
    print(f"Measured {machine()}; command: `.venv/bin/python -m bench.{module}`; wall time "
          f"{time.monotonic() - started:.0f} s.\n")
    print(report(results))

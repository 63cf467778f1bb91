"""Keeps one task of a process alive on its own: a failure is logged and the task restarted
after a growing pause, so it never takes the process's other tasks down with it. A run that
stayed up for `HEALTHY_AFTER` seconds before failing starts the pauses over: a fault weeks after
the last one waits the first pause, not the longest."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger("copydesk.supervision")
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0
HEALTHY_AFTER = 60.0


async def supervise(name: str, run: Callable[[], Awaitable[None]], stop: asyncio.Event,
                    first_pause: float = FIRST_PAUSE, longest_pause: float = LONGEST_PAUSE,
                    healthy_after: float = HEALTHY_AFTER) -> None:
    """Run `run()` until it returns or `stop` is set; restart it after each failure."""
    pause = first_pause
    while not stop.is_set():
        started = time.monotonic()
        try:
            await run()
            return
        except Exception as error:
            if stop.is_set():
                return
            if time.monotonic() - started >= healthy_after:
                pause = first_pause
            log.error("task_failed_restarting", task=name, error=repr(error),
                      restart_in_seconds=pause)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause)
        pause = min(pause * 2, longest_pause)

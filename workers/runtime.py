"""Running the long-lived parts: settings with real URLs, signals, the process group of `up`."""

import asyncio
import dataclasses
import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

from adapters.embedded import running_urls
from adapters.settings import Settings, blog_env, feed_env, llm_env, mail_env, stock_env

GC_YOUNG_THRESHOLD = 50_000
"""Allocations between collections of the youngest generation (Python's default: 700)."""


def spare_full_collections() -> None:
    """A full garbage collection walks every object the process keeps (the store's cached
    streams, a job's aggregates, a projector's decoded batch) with everything else stopped:
    100-250 ms during which LLM calls in flight are held past their answers and imports
    wait. Collecting the young generation after 50,000 allocations instead of 700 makes full
    collections about 70 times rarer; what was loaded at start (modules, settings) is left
    out of them altogether."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


class NoServersError(SystemExit):
    pass


def resolve_settings(settings: Settings) -> Settings:
    """The settings with database and NATS URLs: given ones, or a running `copydesk up`'s."""
    if settings.database_url and settings.nats_url:
        return settings.with_secret_key()
    found = running_urls(settings.home)
    if found is None:
        raise NoServersError(
            "no servers: set DATABASE_URL and NATS_URL, or start `copydesk up` "
            f"with the same COPYDESK_HOME ({settings.home})"
        )
    database_url, nats_url = found
    return dataclasses.replace(settings, database_url=settings.database_url or database_url,
                               nats_url=settings.nats_url or nats_url).with_secret_key()


def run_until_signal(main: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run `main(stop)` until SIGINT or SIGTERM sets `stop`."""
    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await main(stop)

    asyncio.run(runner())


def child_env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": settings.database_url, "NATS_URL": settings.nats_url,
            "COPYDESK_SECRET_KEY": settings.secret_key, "COPYDESK_HOME": str(settings.home),
            "COPYDESK_EVENTS_STREAM": settings.events_stream,
            "COPYDESK_EVENTS_SUBJECT": settings.events_subject,
            "COPYDESK_EMAIL_CODE_SECONDS": str(settings.email_code_seconds),
            "COPYDESK_EMAIL_CODE_RESEND_SECONDS": str(settings.email_code_resend_seconds),
            "COPYDESK_MAX_UPLOAD_MB": str(settings.max_upload_mb),
            "COPYDESK_IMPORT_WAIT_SECONDS": str(settings.import_wait_seconds),
            **llm_env(settings), **mail_env(settings), **feed_env(settings), **stock_env(settings),
            **blog_env(settings), **_files_env(settings)}


def _files_env(settings: Settings) -> dict[str, str]:
    env = {f"COPYDESK_{name.upper()}": getattr(settings, name) for name in
           ("s3_endpoint", "s3_bucket", "s3_region", "s3_access_key", "s3_secret_key")}
    if settings.files_dir is not None:
        env["COPYDESK_FILES_DIR"] = str(settings.files_dir)
    return env


class ProcessGroup:
    """The children of `copydesk up`; a child that dies is started again."""

    def __init__(self, settings: Settings, commands: list[list[str]]) -> None:
        self.env = child_env(settings)
        self.commands = commands
        self.children: list[subprocess.Popen[bytes]] = []

    def _spawn(self, args: list[str]) -> subprocess.Popen[bytes]:
        # own session: Ctrl-C reaches `up` alone, which stops the children in order
        return subprocess.Popen([sys.executable, "-m", "workers.cli", *args], env=self.env,
                                start_new_session=True)

    def start(self) -> None:
        self.children = [self._spawn(args) for args in self.commands]

    def supervise(self, stopping: Callable[[], bool]) -> None:
        while not stopping():
            for i, child in enumerate(self.children):
                if child.poll() is not None and not stopping():
                    print(f"copydesk: {' '.join(self.commands[i])} exited ({child.returncode});"
                          " restarting", file=sys.stderr)
                    self.children[i] = self._spawn(self.commands[i])
            time.sleep(0.5)

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in self.children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

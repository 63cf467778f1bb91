"""`copydesk jobs watch` and `copydesk jobs list`: jobs as the read model shows them, with a
text progress bar that moves each time the projector announces a change."""

import time
from collections.abc import Callable
from uuid import UUID

import psycopg

from adapters.settings import Settings
from projections.jobs.queries import job_progress, recent_jobs

BAR_WIDTH = 30
APPEAR_SECONDS = 10.0
FINISHED = ("completed", "failed", "cancelled")


def progress_line(status: str, total: int | None, succeeded: int, failed: int, skipped: int,
                  seconds: float) -> str:
    """`[#####.....] 42/100 succeeded 40 failed 2 · 12.3 items/s`."""
    done = succeeded + failed + skipped
    line = _bar(status, done, total) + f" succeeded {succeeded} failed {failed}"
    if skipped:
        line += f" skipped {skipped}"
    rate = done / seconds if seconds > 0 else 0.0
    return f"{line} · {rate:.1f} items/s" + ("" if status == "running" else f" · {status}")


def work_line(status: str, done: int, expected: int | None, seconds: float) -> str:
    """A job of one long unit (an import): `[#####.....] 42,000/~100,000 rows · 9,000 rows/s`."""
    line = _bar(status, done, expected, approximate=status == "running")
    rate = done / seconds if seconds > 0 else 0.0
    return f"{line} rows · {rate:,.0f} rows/s" + ("" if status == "running" else f" · {status}")


def _bar(status: str, done: int, total: int | None, approximate: bool = False) -> str:
    filled = min(BAR_WIDTH, BAR_WIDTH * done // total) if total else (
        BAR_WIDTH if status in FINISHED else 0)
    of = "?" if total is None else ("~" if approximate else "") + f"{total:,}"
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{of}"


def watch_job(settings: Settings, job_id: UUID, write: Callable[[str], object]) -> int:
    """Draw the job's progress until it ends; 0 when it completed, 1 otherwise."""
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        conn.execute("LISTEN projection_advanced")
        deadline = time.monotonic() + APPEAR_SECONDS
        last = ""
        while True:
            row = job_progress(conn, job_id)
            if row is None:
                if time.monotonic() > deadline:
                    raise SystemExit(f"copydesk: no job {job_id}")
            else:
                status, total, succeeded, failed, skipped, error, done, expected, seconds = row
                line = (progress_line(status, total, succeeded, failed, skipped, float(seconds))
                        if done is None else work_line(status, done, expected, float(seconds)))
                if line != last:
                    write("\r" + line.ljust(len(last)))
                    last = line
                if status in FINISHED:
                    write(f"\njob {status}" + (f": {error}" if error else "") + "\n")
                    return 0 if status == "completed" else 1
            for _ in conn.notifies(timeout=1.0, stop_after=1):
                pass


def list_jobs(settings: Settings, project_id: UUID, status: str | None) -> list[str]:
    with psycopg.connect(settings.database_url) as conn:
        rows = recent_jobs(conn, project_id, status)
    return [f"{job_id}  {kind:<20} {state:<10} {done:>7}/{'?' if total is None else total:<7}"
            f" {created:%Y-%m-%d %H:%M:%S}" for job_id, kind, state, done, total, created in rows]

"""Queries over the JobProgress read model (`rm_jobs`), always within one organization but
for the worker's and the operator's at the end."""

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, Connection

FINISHED = ("completed", "failed", "cancelled")
_JOB = (
    "SELECT id, org_id, project_id, job_type, status, parameters, created_by, progress_total,"
    " succeeded, failed, skipped, cost, error, result, created_at, started_at, completed_at,"
    " position, work_done, work_expected FROM rm_jobs.jobs"
)
_ITEM = (
    "SELECT unit_id, status, error, detail, cost, attempts, finished_at, position"
    " FROM rm_jobs.job_items"
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobRow:
    id: UUID
    org_id: UUID
    project_id: UUID
    job_type: str
    status: str
    parameters: dict[str, Any]
    created_by: UUID | None
    progress_total: int | None
    succeeded: int
    failed: int
    skipped: int
    cost: Decimal
    error: str | None
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    position: int
    work_done: int | None = None
    work_expected: int | None = None

    @property
    def processed(self) -> int:
        return self.succeeded + self.failed + self.skipped

    @property
    def progress_current(self) -> int:
        """Units with an outcome, or for a job of one long unit (an import) its own count."""
        return self.work_done if self.work_done is not None else self.processed

    @property
    def progress_of(self) -> int:
        """What `progress_current` counts towards (0 while unknown)."""
        if self.work_done is not None:
            return self.work_expected if self.work_expected is not None else self.work_done
        return self.progress_total or 0

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobItemRow:
    unit_id: str
    status: str
    error: str | None
    detail: dict[str, Any]
    cost: Decimal
    attempts: int
    finished_at: datetime
    position: int


def _job(row: Any) -> JobRow:
    return JobRow(
        id=row[0], org_id=row[1], project_id=row[2], job_type=row[3], status=row[4],
        parameters=dict(row[5] or {}), created_by=row[6], progress_total=row[7],
        succeeded=row[8], failed=row[9], skipped=row[10], cost=row[11], error=row[12],
        result=dict(row[13] or {}), created_at=row[14], started_at=row[15],
        completed_at=row[16], position=row[17], work_done=row[18], work_expected=row[19],
    )


def _item(row: Any) -> JobItemRow:
    return JobItemRow(unit_id=row[0], status=row[1], error=row[2], detail=dict(row[3] or {}),
                      cost=row[4], attempts=row[5], finished_at=row[6], position=row[7])


async def get_job(conn: AsyncConnection, org_id: UUID, job_id: UUID) -> JobRow | None:
    cur = await conn.execute(f"{_JOB} WHERE org_id = %s AND id = %s", (org_id, job_id))
    row = await cur.fetchone()
    return None if row is None else _job(row)


async def list_project_jobs(
    conn: AsyncConnection, org_id: UUID, project_id: UUID, *, status: str | None = None,
    limit: int = 50,
) -> list[JobRow]:
    """The project's most recent jobs, newest first, optionally of one status."""
    cur = await conn.execute(
        f"{_JOB} WHERE org_id = %s AND project_id = %s AND (%s::text IS NULL OR status = %s)"
        " ORDER BY created_at DESC, id LIMIT %s", (org_id, project_id, status, status, limit))
    return [_job(row) for row in await cur.fetchall()]


async def list_job_items(
    conn: AsyncConnection, org_id: UUID, job_id: UUID, *, page: int = 1, page_size: int = 100,
) -> tuple[list[JobItemRow], int]:
    """One page of the job's finished units in the order they finished, and how many there are."""
    cur = await conn.execute(
        f"{_ITEM} WHERE org_id = %s AND job_id = %s ORDER BY position LIMIT %s OFFSET %s",
        (org_id, job_id, page_size, (page - 1) * page_size))
    items = [_item(row) for row in await cur.fetchall()]
    cur = await conn.execute(
        "SELECT count(*) FROM rm_jobs.job_items WHERE org_id = %s AND job_id = %s",
        (org_id, job_id))
    row = await cur.fetchone()
    return items, int(row[0]) if row else 0


async def job_items_after(
    conn: AsyncConnection, org_id: UUID, job_id: UUID, after: int, limit: int = 500,
) -> list[JobItemRow]:
    """Units that finished after log position `after`, in order (for event streams)."""
    cur = await conn.execute(
        f"{_ITEM} WHERE org_id = %s AND job_id = %s AND position > %s ORDER BY position LIMIT %s",
        (org_id, job_id, after, limit))
    return [_item(row) for row in await cur.fetchall()]


async def unit_ids_with_outcome(conn: AsyncConnection, org_id: UUID, job_id: UUID) -> list[str]:
    """The units of the job that have an outcome already."""
    cur = await conn.execute("SELECT unit_id FROM rm_jobs.job_items WHERE org_id = %s AND job_id = %s",
                             (org_id, job_id))
    return [r[0] for r in await cur.fetchall()]


# --- the worker's and the operator's (`copydesk jobs …`), over every organization ----------


async def stale_queued_job_ids(conn: AsyncConnection, older_than_seconds: int) -> list[UUID]:
    """Jobs still queued this long after their creation (their planning was lost), oldest first."""
    cur = await conn.execute(
        "SELECT id FROM rm_jobs.jobs WHERE status = 'queued'"
        " AND created_at < now() - make_interval(secs => %s) ORDER BY created_at LIMIT 100",
        (older_than_seconds,))
    return [row[0] for row in await cur.fetchall()]


def job_progress(conn: Connection[Any], job_id: UUID) -> tuple[Any, ...] | None:
    """(status, progress_total, succeeded, failed, skipped, error, work_done, work_expected,
    seconds running) of a job, or None."""
    return conn.execute(
        "SELECT status, progress_total, succeeded, failed, skipped, error, work_done, work_expected,"
        " extract(epoch FROM coalesce(completed_at, now()) - coalesce(started_at, created_at))"
        " FROM rm_jobs.jobs WHERE id = %s", (job_id,)).fetchone()


def recent_jobs(conn: Connection[Any], project_id: UUID, status: str | None) -> list[tuple[Any, ...]]:
    """(id, kind, status, done, total, created_at) of the project's 50 newest jobs."""
    return conn.execute(
        "SELECT id, job_type, status, coalesce(work_done, succeeded + failed + skipped),"
        " CASE WHEN work_done IS NULL THEN progress_total ELSE coalesce(work_expected, work_done) END,"
        " created_at"
        " FROM rm_jobs.jobs WHERE project_id = %s AND (%s::text IS NULL OR status = %s)"
        " ORDER BY created_at DESC LIMIT 50", (project_id, status, status)).fetchall()

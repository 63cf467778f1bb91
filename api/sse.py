"""Server-Sent Events that follow a job, for every `/stream` endpoint.

`job_event_stream` reads the JobProgress read model each time the projector announces that it
changed (LISTEN/NOTIFY through `ProjectionPositions`, no polling loop) and sends:

* `event: item` — a unit that finished (id: its log position, so `Last-Event-ID` resumes);
* `event: error` — a unit that failed, or the job itself failing;
* `event: progress` — processed/total and the counters, whenever they moved;
* `event: done` — the final summary, once the job completed, failed or was cancelled; then
  the stream ends;
* `: heartbeat` — a comment after `heartbeat` seconds of silence.

The stream only reads: a client that goes away stops its stream, never the job. A `/stream`
route starts (or finds) its job, then answers `sse_response(job_event_stream(...))`.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import msgspec
from litestar.response import Stream

from api.services import Services
from projections.jobs.queries import JobItemRow, JobRow, get_job, job_items_after

PROJECTION = "jobs"
BATCH = 500
MIN_READ_INTERVAL = 0.05
"""A stream reads at most this often, however busy the read model is."""
HEARTBEAT = b": heartbeat\n\n"
APPEAR_SECONDS = 5.0
"""How long a stream waits for a job it was just given to reach the read model."""


def sse_event(event: str, data: Any, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: ".encode() + msgspec.json.encode(data) + b"\n\n"


def sse_response(events: AsyncIterator[bytes], headers: dict[str, str] | None = None) -> Stream:
    return Stream(events, media_type="text/event-stream",
                  headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **(headers or {})})


def progress_of(job: JobRow) -> dict[str, Any]:
    return {"job_id": str(job.id), "status": job.status, "processed": job.progress_current,
            "total": job.progress_of, "succeeded": job.succeeded, "failed": job.failed,
            "skipped": job.skipped, "cost": str(job.cost)}


def item_of(item: JobItemRow) -> dict[str, Any]:
    return {"unit_id": item.unit_id, "status": item.status, "error": item.error,
            "detail": item.detail, "cost": str(item.cost), "attempts": item.attempts,
            "finished_at": item.finished_at.isoformat()}


async def job_event_stream(
    services: Services, org_id: UUID, job_id: UUID, *, heartbeat: float = 15.0, after: int = 0,
) -> AsyncIterator[bytes]:
    """The job's events from now (its units finished after log position `after`) until it
    ends; a job that is not the organization's (after `APPEAR_SECONDS`) gives one `error`."""
    last_progress: dict[str, Any] | None = None
    last_sent = began = time.monotonic()
    while True:
        seen = services.positions.changed.get(PROJECTION, 0)
        read_at = time.monotonic()
        async with services.pool.connection() as conn:
            job = await get_job(conn, org_id, job_id)
            items = await job_items_after(conn, org_id, job_id, after, BATCH)
        if job is None:
            if time.monotonic() - began < APPEAR_SECONDS:  # just created; the read model is late
                await services.positions.wait_for_change(PROJECTION, seen, MIN_READ_INTERVAL * 4)
                continue
            yield sse_event("error", {"job_id": str(job_id), "error": "job not found"})
            return
        chunks = []
        for item in items:
            chunks.append(sse_event("item", item_of(item), item.position))
            if item.status == "failed":
                chunks.append(sse_event("error", {"unit_id": item.unit_id, "error": item.error}))
        after = items[-1].position if items else after
        if len(items) < BATCH:
            progress = progress_of(job)
            if progress != last_progress:
                chunks.append(sse_event("progress", progress))
                last_progress = progress
            if job.is_finished:
                if job.status == "failed":
                    chunks.append(sse_event("error", {"job_id": str(job.id), "error": job.error}))
                chunks.append(sse_event("done", {**progress, "result": job.result,
                                                 "error": job.error}))
                yield b"".join(chunks)
                return
        if chunks:
            yield b"".join(chunks)
            last_sent = time.monotonic()
            if len(items) == BATCH:
                continue
        await _pause_until(read_at + MIN_READ_INTERVAL)
        while not await services.positions.wait_for_change(
            PROJECTION, seen, max(0.0, last_sent + heartbeat - time.monotonic())
        ):
            yield HEARTBEAT
            last_sent = time.monotonic()


async def _pause_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)

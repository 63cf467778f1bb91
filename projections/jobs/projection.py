"""JobProgress — why: job lists, a job's status, progress and per-item results, and the event
streams that follow a job; how: `rm_jobs.jobs` (one row per job, counters) and
`rm_jobs.job_items` (one row per finished unit, in the order they finished); when: async
(projector)."""

from decimal import Decimal
from typing import Any

import msgspec

from domain.jobs import events as e
from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import Writes

SCHEMA = "rm_jobs"

_ITEM = (
    "INSERT INTO job_items (job_id, unit_id, org_id, status, error, detail, cost, attempts,"
    " finished_at, position) VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)"
    " ON CONFLICT (job_id, unit_id) DO NOTHING"
)
# A cancelled job's result follows the outcomes still landing after the cancel (the units that
# were running), so that it always sums up the job's recorded units.
_COUNT = (
    "UPDATE jobs j SET succeeded = j.succeeded + d.s, failed = j.failed + d.f,"
    " skipped = j.skipped + d.k, cost = j.cost + d.c, position = d.p,"
    " result = CASE WHEN j.status = 'cancelled' THEN j.result || jsonb_build_object("
    "'processed', j.succeeded + j.failed + j.skipped + 1, 'succeeded', j.succeeded + d.s,"
    " 'failed', j.failed + d.f, 'skipped', j.skipped + d.k, 'cost', (j.cost + d.c)::text)"
    " ELSE j.result END"
    " FROM (VALUES (%s::int, %s::int, %s::int, %s::numeric, %s::bigint)) AS d(s, f, k, c, p)"
    " WHERE j.id = %s"
)
_PLANNED = (
    "UPDATE jobs SET progress_total = %s, position = %s, result = CASE WHEN status = 'cancelled'"
    " THEN result || jsonb_build_object('total', %s::int) ELSE result END WHERE id = %s"
)
_END = (
    "UPDATE jobs SET status = %s, completed_at = %s, result = %s::jsonb, error = %s,"
    " position = %s WHERE id = %s"
)


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class JobProgress(Projection):
    name = "jobs"
    schema = SCHEMA
    topics = frozenset(
        cls.topic() for cls in (
            e.JobCreated, e.JobStarted, e.JobPlanned, e.JobUnitProgressed, e.JobItemSucceeded,
            e.JobItemFailed,
            e.JobItemSkipped, e.JobCompleted, e.JobFailed, e.JobCancelled,
        )
    )

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, aid, position = record.event, record.aggregate_id, record.position
        match event:
            case e.JobCreated():
                writes.add(
                    "INSERT INTO jobs (id, org_id, project_id, job_type, status, parameters,"
                    " created_by, created_at, position)"
                    " VALUES (%s, %s, %s, %s, 'queued', %s::jsonb, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (aid, event.org_id, event.project_id, event.kind, _json(event.parameters),
                     event.created_by, event.occurred_at, position))
            case e.JobStarted():
                writes.add("UPDATE jobs SET status = 'running', started_at = %s, position = %s"
                           " WHERE id = %s AND status = 'queued'",
                           (event.occurred_at, position, aid))
            case e.JobPlanned(total=total):
                writes.add(_PLANNED, (total, position, total, aid))
            case e.JobUnitProgressed(done=done, expected=expected):
                writes.add("UPDATE jobs SET work_done = %s, work_expected = %s, position = %s"
                           " WHERE id = %s", (done, expected, position, aid))
            case e.JobItemSucceeded():
                self._item(writes, record, "succeeded", None, event.cost)
            case e.JobItemFailed():
                self._item(writes, record, "failed", event.error, Decimal(0))
            case e.JobItemSkipped():
                self._item(writes, record, "skipped", event.reason, Decimal(0))
            case e.JobCompleted():
                writes.add(_END, ("completed", event.occurred_at, _json(event.result), None,
                                  position, aid))
            case e.JobFailed():
                writes.add(_END, ("failed", event.occurred_at, _json(event.result), event.error,
                                  position, aid))
            case e.JobCancelled():
                writes.add(_END, ("cancelled", event.occurred_at, _json(event.result), None,
                                  position, aid))

    @staticmethod
    def _item(
        writes: Writes, record: RecordedEvent, status: str, error: str | None, cost: Decimal
    ) -> None:
        event = record.event
        assert isinstance(event, e.JobItemSucceeded | e.JobItemFailed | e.JobItemSkipped)
        writes.insert(_ITEM, (record.aggregate_id, event.unit_id, event.org_id, status, error,
                              _json(event.detail), cost, event.attempts, event.occurred_at,
                              record.position))
        writes.add(_COUNT, (int(status == "succeeded"), int(status == "failed"),
                            int(status == "skipped"), cost, record.position, record.aggregate_id))

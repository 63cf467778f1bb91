"""Jobs of the test kinds run by real worker processes: creating them, reading them back."""

from collections import Counter
from typing import Any
from uuid import UUID, uuid4

import psycopg

from adapters.postgres.codec import decode_event
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.jobs.lifecycle import CreateJob, create_job
from domain.jobs.events import JobItemFailed, JobItemSkipped, JobItemSucceeded
from tests.fakes.job_kinds import KINDS
from tests.integration.events import META
from tests.support import wait_until

OUTCOMES = (JobItemSucceeded, JobItemFailed, JobItemSkipped)


def start_job(bus: CommandBus, org_id: UUID, kind: str = "test.sleep",
              project_id: UUID | None = None, **parameters: Any) -> UUID:
    """Queue a job as the API does; the worker processes take it from there."""
    conflicts = next(k.conflicts for k in KINDS if k.name == kind)
    job_id = uuid4()
    bus.execute(create_job, CreateJob(
        org_id=org_id, project_id=project_id or uuid4(), job_id=job_id, kind=kind,
        parameters=parameters, conflicts=conflicts), META)
    return job_id


def job_status(settings: Settings, job_id: UUID) -> tuple[str, int | None, int]:
    """(status, total, processed) as the read model shows it; ("", None, 0) before it does."""
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT status, progress_total, succeeded + failed + skipped"
                           " FROM rm_jobs.jobs WHERE id = %s", (job_id,)).fetchone()
    return (row[0], row[1], row[2]) if row else ("", None, 0)


def wait_for_job(settings: Settings, job_id: UUID, *statuses: str, seconds: float = 60) -> None:
    wanted = statuses or ("completed", "failed", "cancelled")
    wait_until(lambda: job_status(settings, job_id)[0] in wanted, seconds,
               f"job {job_id} to be {' or '.join(wanted)}")


def wait_for_processed(settings: Settings, job_id: UUID, count: int, seconds: float = 60) -> None:
    wait_until(lambda: job_status(settings, job_id)[2] >= count, seconds,
               f"{count} units of job {job_id} to be done")


def outcome_events(settings: Settings, job_id: UUID) -> list[Any]:
    """Every unit outcome stored for the job, from the event store itself."""
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(
            "SELECT topic, state FROM events WHERE originator_id = %s"
            " ORDER BY originator_version", (job_id,)).fetchall()
    events = [decode_event(topic, bytes(state))[0] for topic, state in rows]
    return [event for event in events if isinstance(event, OUTCOMES)]


def outcomes_per_unit(settings: Settings, job_id: UUID) -> Counter[str]:
    return Counter(event.unit_id for event in outcome_events(settings, job_id))

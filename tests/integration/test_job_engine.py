"""The job engine with real worker processes on PostgreSQL and NATS: units shared between
workers, a worker killed mid-job, cancel, retries, planning failures. Each unit must end with
exactly one outcome in the event store, and each succeeded unit with exactly one charge."""

from collections import Counter
from decimal import Decimal
from uuid import UUID, uuid4

import psycopg
import pytest

from adapters.settings import Settings
from commands.jobs.lifecycle import CancelJob, cancel_job
from tests.fakes.job_kinds import unit_id
from tests.integration.events import META, onboard, store_for
from tests.integration.jobs_support import (
    job_status,
    outcome_events,
    outcomes_per_unit,
    start_job,
    wait_for_job,
    wait_for_processed,
)
from tests.support import Processes, assert_read_models_equal_rebuild, wait_for_projections

TOKENS = 10


def charges_per_unit(settings: Settings, job_id: UUID) -> Counter[str]:
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT reference_id, xct FROM rm_billing.usage"
                            " WHERE reference_id LIKE %s", (f"{job_id}:%",)).fetchall()
    assert all(xct == Decimal(TOKENS) for _, xct in rows)
    return Counter(ref.split(":", 1)[1] for ref, _ in rows)


def start_pipeline(processes: Processes, *workers: str) -> None:
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    for name in workers:
        processes.start(name, "worker")


def test_two_workers_share_a_job_and_every_unit_is_recorded_and_charged_once(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker-a", "worker-b")
    job_id = start_job(bus, org_id, units=200, latency=0.1, tokens=TOKENS)
    wait_for_job(database, job_id)
    assert job_status(database, job_id) == ("completed", 200, 200)
    outcomes = outcome_events(database, job_id)
    assert Counter(e.unit_id for e in outcomes) == Counter({unit_id(n): 1 for n in range(200)})
    assert len({e.detail["pid"] for e in outcomes}) == 2, "both workers did some units"
    assert charges_per_unit(database, job_id) == Counter({unit_id(n): 1 for n in range(200)})
    wait_for_projections(database)
    store.close()
    assert_read_models_equal_rebuild(database)


@pytest.mark.fault
def test_a_worker_killed_mid_job_loses_nothing_and_nothing_is_charged_twice(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker-a", "worker-b")
    job_id = start_job(bus, org_id, units=80, latency=1.0, tokens=TOKENS)
    wait_for_processed(database, job_id, 20)
    processes.kill("worker-b")  # SIGKILL: its running units are neither recorded nor acked
    wait_for_job(database, job_id, seconds=90)
    assert job_status(database, job_id) == ("completed", 80, 80)
    assert outcomes_per_unit(database, job_id) == Counter({unit_id(n): 1 for n in range(80)})
    assert charges_per_unit(database, job_id) == Counter({unit_id(n): 1 for n in range(80)})
    assert any(e.attempts > 1 for e in outcome_events(database, job_id)), \
        "the killed worker's units were delivered again"
    store.close()


def test_cancel_stops_a_running_job_and_skips_the_units_not_started(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker")
    job_id = start_job(bus, org_id, units=120, latency=0.3)
    wait_for_processed(database, job_id, 10)
    bus.execute(cancel_job, CancelJob(org_id=org_id, job_id=job_id), META)
    wait_for_processed(database, job_id, 120)
    outcomes = outcome_events(database, job_id)
    assert job_status(database, job_id)[0] == "cancelled"
    assert Counter(e.unit_id for e in outcomes) == Counter({unit_id(n): 1 for n in range(120)})
    skipped = [e for e in outcomes if type(e).__name__ == "JobItemSkipped"]
    assert len(skipped) > 60
    assert {e.reason for e in skipped} == {"the job was cancelled"}
    store.close()


def test_a_unit_that_raises_is_retried_then_failed_and_the_rest_completes(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker")
    job_id = start_job(bus, org_id, units=6, flaky=[unit_id(1)], crash=[unit_id(2)],
                       fail=[unit_id(3)], skip=[unit_id(4)])
    wait_for_job(database, job_id)
    by_unit = {e.unit_id: e for e in outcome_events(database, job_id)}
    assert job_status(database, job_id) == ("completed", 6, 6)
    assert type(by_unit[unit_id(1)]).__name__ == "JobItemSucceeded"
    assert by_unit[unit_id(1)].attempts == 2
    crashed = by_unit[unit_id(2)]
    assert type(crashed).__name__ == "JobItemFailed" and crashed.attempts == 3
    assert "crashed" in crashed.error
    assert by_unit[unit_id(3)].error == "asked to fail"
    assert by_unit[unit_id(4)].reason == "nothing to do"
    store.close()


def test_a_job_whose_planning_fails_is_failed_and_frees_its_project(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker")
    project_id = uuid4()
    job_id = start_job(bus, org_id, project_id=project_id, plan_error="the project has no items")
    wait_for_job(database, job_id)
    with psycopg.connect(database.database_url) as conn:
        row = conn.execute("SELECT status, error FROM rm_jobs.jobs WHERE id = %s",
                           (job_id,)).fetchone()
    assert row == ("failed", "planning failed: the project has no items")
    again = start_job(bus, org_id, project_id=project_id, units=2)
    wait_for_job(database, again)
    assert job_status(database, again) == ("completed", 2, 2)
    store.close()


def test_a_job_cancelled_while_its_last_unit_runs_sums_up_the_unit_and_its_charge(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org_id = onboard(bus)
    start_pipeline(processes, "worker")
    job_id = start_job(bus, org_id, units=1, latency=1.5, tokens=TOKENS)
    wait_for_job(database, job_id, "running")
    bus.execute(cancel_job, CancelJob(org_id=org_id, job_id=job_id), META)
    wait_for_processed(database, job_id, 1)
    wait_for_projections(database)
    [outcome] = outcome_events(database, job_id)
    assert type(outcome).__name__ == "JobItemSucceeded", "the running unit finished"
    assert charges_per_unit(database, job_id) == Counter({unit_id(0): 1})
    with psycopg.connect(database.database_url) as conn:
        row = conn.execute("SELECT status, result, cost FROM rm_jobs.jobs WHERE id = %s",
                           (job_id,)).fetchone()
    assert row is not None
    status, result, cost = row
    assert status == "cancelled"
    assert result == {"total": 1, "processed": 1, "succeeded": 1, "failed": 0, "skipped": 0,
                      "cost": str(cost)}
    assert Decimal(result["cost"]) == outcome.cost == Decimal(TOKENS)
    store.close()
    assert_read_models_equal_rebuild(database)

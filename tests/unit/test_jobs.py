"""Jobs: one outcome per unit, completion and failure, cancel, and the project's job slot."""

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.jobs.kind import Status, Unit, UnitResult
from commands.jobs.lifecycle import (
    CancelJob,
    CreateJob,
    FailJobPlanning,
    PlanJob,
    ReportProgress,
    StartJob,
    cancel_job,
    create_job,
    fail_job_planning,
    plan_job,
    report_progress,
    start_job,
)
from domain.errors import ConflictError, InvalidCommandError, NotFoundError
from domain.jobs.errors import JobAlreadyEndedError, JobAlreadyRunningError
from domain.jobs.events import (
    JobCancelled,
    JobCompleted,
    JobFailed,
    JobItemFailed,
    JobItemSkipped,
    JobItemSucceeded,
    JobSlotReleased,
    JobSlotTaken,
    JobUnitProgressed,
)
from domain.jobs.job import Job
from domain.jobs.slot import ProjectJobSlot, job_slot_id
from tests.fakes.job_kinds import SleepKind
from tests.unit.world import SYSTEM, InMemoryWorld
from workers.jobs.recorder import Finished, apply_outcomes

SLEEP = frozenset({"sleep"})
KIND = SleepKind()


class World(InMemoryWorld):
    meta = SYSTEM

    def __init__(self) -> None:
        super().__init__()
        self.org_id = uuid4()
        self.project_id = uuid4()

    def create(self, kind: str = "sleep", conflicts: frozenset[str] = SLEEP,
               project_id: UUID | None = None, org_id: UUID | None = None) -> UUID:
        job_id = uuid4()
        self.when(create_job, CreateJob(
            org_id=org_id or self.org_id, project_id=project_id or self.project_id,
            job_id=job_id, kind=kind, parameters={"units": 3}, conflicts=conflicts))
        return job_id

    def running(self, total: int, **kwargs: Any) -> UUID:
        job_id = self.create(**kwargs)
        self.when(start_job, StartJob(job_id=job_id))
        self.when(plan_job, PlanJob(job_id=job_id, total=total))
        return job_id

    def record(self, job_id: UUID, status: Status, unit_id: str, **kwargs: Any) -> None:
        """A unit's outcome, as the job engine records it."""
        finished = Finished(job_id=job_id, unit=Unit(id=unit_id), kind=KIND, by_engine=True,
                            result=UnitResult(status=status, **kwargs))
        self.when(apply_outcomes, [finished])

    def job(self, job_id: UUID) -> Job:
        return self.load(Job, job_id)

    def slot(self) -> ProjectJobSlot:
        return self.load(ProjectJobSlot, job_slot_id(self.org_id, self.project_id))


@pytest.fixture
def world() -> World:
    return World()


def test_a_new_job_is_queued_and_takes_its_projects_slot(world: World) -> None:
    job_id = world.create()
    job = world.job(job_id)
    assert (job.status, job.kind, job.parameters, job.total) == ("queued", "sleep", {"units": 3},
                                                                 None)
    assert world.slot().running == {job_id: ("sleep", SLEEP)}
    assert isinstance(world.store.log[0].event, JobSlotTaken)


def test_a_second_conflicting_job_on_the_project_is_refused(world: World) -> None:
    world.create()
    with pytest.raises(JobAlreadyRunningError):
        world.create()
    with pytest.raises(ConflictError):
        world.create(kind="import", conflicts=frozenset({"import", "sleep"}))


def test_jobs_that_do_not_conflict_run_side_by_side(world: World) -> None:
    world.create()
    world.create(kind="echo", conflicts=frozenset())
    world.create(project_id=uuid4())
    world.create(org_id=uuid4())  # another organization's project with the same id


def test_a_kind_that_names_the_running_kind_among_its_conflicts_is_refused_too(
    world: World,
) -> None:
    world.create(kind="echo", conflicts=frozenset())
    with pytest.raises(ConflictError):
        world.create(kind="import", conflicts=frozenset({"echo"}))


def test_start_moves_queued_to_running_once(world: World) -> None:
    job_id = world.create()
    world.when(start_job, StartJob(job_id=job_id))
    world.when(start_job, StartJob(job_id=job_id))
    job = world.job(job_id)
    assert job.status == "running" and job.started_at is not None
    assert len(world.events_of(job_id)) == 2


def test_an_outcome_for_a_unit_that_has_one_is_ignored() -> None:
    job = Job(uuid4())
    job.create(org_id=uuid4(), project_id=uuid4(), kind="sleep", parameters={}, created_by=None)
    job.start()
    job.plan(3)
    assert job.record_success("a", {"words": 12}, Decimal("2.50"))
    assert not job.record_success("a", {"words": 12}, Decimal("2.50"))
    assert not job.record_failure("a", "late")
    assert not job.record_skip("a", "late")
    assert (job.succeeded, job.failed, job.skipped, job.cost) == (1, 0, 0, Decimal("2.50"))
    assert sum(isinstance(e, JobItemSucceeded) for e in job.collect()) == 1


def test_a_unit_delivered_twice_is_recorded_once(world: World) -> None:
    job_id = world.running(3)
    world.record(job_id, "succeeded", "a", cost=Decimal("2.50"))
    world.record(job_id, "succeeded", "a", cost=Decimal("2.50"))
    world.record(job_id, "failed", "a", error="late")
    job = world.job(job_id)
    assert (job.succeeded, job.failed, job.cost) == (1, 0, Decimal("2.50"))
    assert sum(isinstance(e, JobItemSucceeded) for e in world.events_of(job_id)) == 1


def test_the_job_completes_when_every_unit_has_an_outcome(world: World) -> None:
    job_id = world.running(3)
    world.record(job_id, "succeeded", "a")
    world.record(job_id, "failed", "b", error="the model refused")
    assert world.job(job_id).status == "running"
    world.record(job_id, "skipped", "c", error="nothing to do")
    job = world.job(job_id)
    assert job.status == "completed" and job.finished_at is not None
    assert job.result == {"total": 3, "processed": 3, "succeeded": 1, "failed": 1, "skipped": 1,
                          "cost": "0"}
    assert world.slot().running == {}
    # the slot is released in the same append, the job's own events last
    assert [type(r.event) for r in world.store.log[-3:]] == [
        JobSlotReleased, JobItemSkipped, JobCompleted]


def test_units_done_before_the_plan_is_recorded_complete_the_job_when_it_is(
    world: World,
) -> None:
    job_id = world.create()
    world.when(start_job, StartJob(job_id=job_id))
    world.record(job_id, "succeeded", "a")
    world.record(job_id, "succeeded", "b")
    assert world.job(job_id).status == "running"
    world.when(plan_job, PlanJob(job_id=job_id, total=2))
    assert world.job(job_id).status == "completed"
    assert world.slot().running == {}


def test_a_job_without_units_completes_when_planned(world: World) -> None:
    job_id = world.running(0)
    assert world.job(job_id).status == "completed"


def test_a_plan_is_recorded_once(world: World) -> None:
    job_id = world.running(5)
    world.when(plan_job, PlanJob(job_id=job_id, total=7))
    assert world.job(job_id).total == 5
    with pytest.raises(InvalidCommandError):
        world.when(plan_job, PlanJob(job_id=job_id, total=-1))


def test_a_job_whose_units_failed_for_one_reason_fails_naming_it(world: World) -> None:
    job_id = world.running(2)
    world.record(job_id, "failed", "a", error="the feed could not be read")
    world.record(job_id, "failed", "b", error="the feed could not be read")
    assert world.job(job_id).error == "every item failed: the feed could not be read"


def test_the_job_fails_when_every_unit_failed(world: World) -> None:
    job_id = world.running(2)
    world.record(job_id, "failed", "a", error="x")
    world.record(job_id, "failed", "b", error="y")
    job = world.job(job_id)
    assert (job.status, job.error) == ("failed", "every item failed; the last: y")
    assert isinstance(world.events_of(job_id)[-1], JobFailed)
    assert world.slot().running == {}


def test_the_job_fails_when_planning_fails_and_frees_the_project(world: World) -> None:
    job_id = world.create()
    world.when(start_job, StartJob(job_id=job_id))
    world.when(fail_job_planning, FailJobPlanning(job_id=job_id, error="no items to generate"))
    job = world.job(job_id)
    assert (job.status, job.error) == ("failed", "no items to generate")
    world.create()  # the project is free again


def test_cancel_stops_the_job_and_frees_the_project(world: World) -> None:
    job_id = world.running(3)
    world.record(job_id, "succeeded", "a")
    job = world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    assert job.status == "cancelled"
    cancelled = world.events_of(job_id)[-1]
    assert isinstance(cancelled, JobCancelled) and cancelled.result["succeeded"] == 1
    assert world.slot().running == {}
    world.create()


def test_units_still_running_when_cancelled_are_recorded_and_the_job_stays_cancelled(
    world: World,
) -> None:
    job_id = world.running(3)
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    world.record(job_id, "succeeded", "a")
    world.record(job_id, "skipped", "b", error="the job was cancelled")
    world.record(job_id, "skipped", "c", error="the job was cancelled")
    job = world.job(job_id)
    assert (job.status, job.succeeded, job.skipped) == ("cancelled", 1, 2)
    assert not any(isinstance(e, JobCompleted) for e in world.events_of(job_id))


def summed_up(world: World, job_id: UUID) -> dict[str, Any]:
    """What the job's recorded outcomes add up to, from its events alone."""
    outcomes = [e for e in world.events_of(job_id)
                if isinstance(e, JobItemSucceeded | JobItemFailed | JobItemSkipped)]
    return {"processed": len(outcomes),
            "succeeded": sum(isinstance(e, JobItemSucceeded) for e in outcomes),
            "failed": sum(isinstance(e, JobItemFailed) for e in outcomes),
            "skipped": sum(isinstance(e, JobItemSkipped) for e in outcomes),
            "cost": str(sum((e.cost for e in outcomes if isinstance(e, JobItemSucceeded)),
                            Decimal(0)))}


def test_a_job_cancelled_after_its_units_were_recorded_sums_them_up(world: World) -> None:
    job_id = world.running(2)
    world.record(job_id, "succeeded", "a", cost=Decimal(7))
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    job = world.job(job_id)
    assert job.status == "cancelled"
    assert job.result == {"total": 2, **summed_up(world, job_id)}
    assert job.result["processed"] == 1 and job.result["cost"] == "7"


def test_a_unit_recorded_after_the_cancel_is_counted_in_the_cancelled_jobs_result(
    world: World,
) -> None:
    job_id = world.running(1)
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    world.record(job_id, "succeeded", "a", cost=Decimal(7))  # its last unit, finishing late
    job = world.job(job_id)
    assert job.status == "cancelled"
    assert job.result == {"total": 1, "processed": 1, "succeeded": 1, "failed": 0,
                          "skipped": 0, "cost": "7"}
    assert job.result == {"total": 1, **summed_up(world, job_id)}


def test_a_cancelled_jobs_result_sums_up_its_units_whatever_the_order(world: World) -> None:
    job_id = world.create()
    world.when(start_job, StartJob(job_id=job_id))
    world.record(job_id, "succeeded", "a", cost=Decimal(3))
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    world.record(job_id, "failed", "b", error="boom")
    world.when(plan_job, PlanJob(job_id=job_id, total=4))  # planned after the cancel
    world.record(job_id, "succeeded", "c", cost=Decimal("2.5"))
    world.record(job_id, "skipped", "d", error="the job was cancelled")
    job = world.job(job_id)
    assert job.result == {"total": 4, **summed_up(world, job_id)}
    assert (job.result["processed"], job.result["cost"]) == (4, "5.5")
    assert job.status == "cancelled"


def test_cancelling_twice_is_a_no_op_but_a_finished_job_cannot_be_cancelled(world: World) -> None:
    job_id = world.running(3)
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=job_id))
    assert sum(isinstance(e, JobCancelled) for e in world.events_of(job_id)) == 1
    done = world.running(0, project_id=uuid4())
    with pytest.raises(JobAlreadyEndedError):
        world.when(cancel_job, CancelJob(org_id=world.org_id, job_id=done))


def test_another_organizations_job_is_not_found(world: World) -> None:
    job_id = world.running(3)
    with pytest.raises(NotFoundError):
        world.when(cancel_job, CancelJob(org_id=uuid4(), job_id=job_id))


def test_no_outcome_lands_on_a_finished_job(world: World) -> None:
    job_id = world.running(1)
    world.record(job_id, "succeeded", "a")
    world.record(job_id, "succeeded", "b")
    assert world.job(job_id).processed == 1


def test_bad_parameters_and_details_are_refused(world: World) -> None:
    with pytest.raises(InvalidCommandError, match="payload"):
        world.when(create_job, CreateJob(
            org_id=world.org_id, project_id=world.project_id, job_id=uuid4(), kind="sleep",
            parameters={"when": object()}, conflicts=SLEEP))
    job_id = world.running(2, project_id=uuid4())
    with pytest.raises(InvalidCommandError, match="detail"):
        world.record(job_id, "succeeded", "a", detail={"text": "x" * 5000})
    with pytest.raises(InvalidCommandError, match="unit id"):
        world.record(job_id, "succeeded", "")
    assert world.job(job_id).processed == 0


def progress(world: World, job_id: UUID, done: int, expected: int | None = None,
             org_id: UUID | None = None) -> Job:
    result: Job = world.when(report_progress, ReportProgress(
        org_id=org_id or world.org_id, job_id=job_id, unit_id="file", done=done,
        expected=expected))
    return result


def test_a_long_unit_reports_its_progress_which_only_moves_forward(world: World) -> None:
    job_id = world.running(total=1)
    progress(world, job_id, 2500, 10_000)
    progress(world, job_id, 1000, 10_000)  # a unit run again after its worker died: ignored
    progress(world, job_id, 5000, 4000)  # never less expected than done
    reports = [e for e in world.events_of(job_id) if isinstance(e, JobUnitProgressed)]
    assert [(e.unit_id, e.done, e.expected) for e in reports] == [
        ("file", 2500, 10_000), ("file", 5000, 5000)]
    assert world.job(job_id).unit_progress == {"file": 5000}


def test_progress_ends_with_its_unit_and_refuses_nonsense(world: World) -> None:
    job_id = world.running(total=1)
    for done, expected in ((-1, None), (5, -2)):
        with pytest.raises(InvalidCommandError):
            progress(world, job_id, done, expected)
    with pytest.raises(NotFoundError):
        progress(world, job_id, 10, org_id=uuid4())
    world.record(job_id, "succeeded", "file")
    before = len(world.events_of(job_id))
    progress(world, job_id, 20_000, 20_000)
    assert len(world.events_of(job_id)) == before

"""The outcome recorder: a group of finished units in one append, the kind's effects beside
their outcome, and a unit whose kind refuses to record it failed with the reason."""

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.billing.accounts import OpenBillingAccount, open_billing_account
from commands.jobs.kind import Unit, UnitResult
from commands.jobs.lifecycle import CreateJob, PlanJob, StartJob, create_job, plan_job, start_job
from domain.billing.account import BillingAccount, billing_account_id
from domain.billing.events import UsageCharged
from domain.jobs.events import JobItemFailed
from domain.jobs.job import Job
from domain.log import EventMeta, NewEvent, SideWrites
from tests.fakes.job_kinds import SleepKind
from tests.unit.world import SYSTEM, InMemoryWorld
from workers.jobs.recorder import Finished, Recorder

KIND = SleepKind()


class CountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.appends = 0

    def append(self, events: Sequence[NewEvent], meta: EventMeta,
               side_writes: SideWrites = ()) -> list[int]:
        self.appends += 1
        return super().append(events, meta, side_writes)


class World(InMemoryWorld):
    meta = SYSTEM

    def __init__(self) -> None:
        self.store: CountingStore = CountingStore()
        super().__init__(self.store)
        self.recorder = Recorder(self.bus)

    def running_job(self, org_id: UUID, units: int, **parameters: object) -> UUID:
        job_id = uuid4()
        self.when(create_job, CreateJob(
            org_id=org_id, project_id=uuid4(), job_id=job_id, kind=KIND.name,
            parameters={"units": units, **parameters}, conflicts=KIND.conflicts))
        self.when(start_job, StartJob(job_id=job_id))
        self.when(plan_job, PlanJob(job_id=job_id, total=units))
        return job_id

    def org_with_account(self, tier: str = "starter") -> UUID:
        org_id = uuid4()
        self.when(open_billing_account, OpenBillingAccount(org_id=org_id, tier=tier))
        return org_id

    def job(self, job_id: UUID) -> Job:
        return self.load(Job, job_id)

    def charges(self, org_id: UUID) -> list[UsageCharged]:
        account_id = billing_account_id(org_id)
        return [e for e in self.store.load(account_id) if isinstance(e, UsageCharged)]


def finished(job_id: UUID, unit: str, **result: object) -> Finished:
    return Finished(job_id=job_id, unit=Unit(id=unit), kind=KIND,
                    result=UnitResult(**result))  # type: ignore[arg-type]


@pytest.fixture
def world() -> World:
    return World()


async def test_a_group_of_units_is_recorded_in_one_append_with_its_charges(world: World) -> None:
    org_id = world.org_with_account()
    job_id = world.running_job(org_id, 3, tokens=10)
    appends = world.store.appends
    await world.recorder.write([finished(job_id, f"u{n}") for n in range(3)])
    assert world.store.appends == appends + 1
    job = world.job(job_id)
    assert (job.status, job.succeeded, job.cost) == ("completed", 3, Decimal("30.00"))
    assert len(world.charges(org_id)) == 3
    assert world.recorder.recorded == 3
    # the job's outcomes come after the charges they record: a reader who has seen the job
    # complete (its position) has seen the work
    written = world.store.log[-8:]
    assert [type(r.event).__name__ for r in written] == ["UsageCharged"] * 3 + [
        "JobSlotReleased"] + ["JobItemSucceeded"] * 3 + ["JobCompleted"]


async def test_a_unit_recorded_again_is_neither_counted_nor_charged_again(world: World) -> None:
    org_id = world.org_with_account()
    job_id = world.running_job(org_id, 2, tokens=10)
    await world.recorder.write([finished(job_id, "u0")])
    await world.recorder.write([finished(job_id, "u0"), finished(job_id, "u0")])
    job = world.job(job_id)
    assert (job.status, job.succeeded) == ("running", 1)
    assert len(world.charges(org_id)) == 1


async def test_a_unit_its_kind_refuses_to_record_is_failed_and_the_rest_of_the_group_recorded(
    world: World,
) -> None:
    paying = world.org_with_account()
    paying_job = world.running_job(paying, 2, tokens=10)
    broke = world.org_with_account(tier="free")
    broke_job = world.running_job(broke, 1, tokens=60_000)  # more than the free allotment
    await world.recorder.write([finished(paying_job, "a"), finished(broke_job, "a"),
                                 finished(paying_job, "b")])
    assert world.job(paying_job).status == "completed"
    assert len(world.charges(paying)) == 2
    refused = world.job(broke_job)
    assert (refused.status, refused.failed) == ("failed", 1)
    assert refused.error is not None
    assert refused.error.startswith("every item failed: not enough XCT"), refused.error
    assert world.charges(broke) == []
    failed = [e for e in world.store.load(broke_job) if isinstance(e, JobItemFailed)]
    assert len(failed) == 1 and failed[0].error.startswith("not enough XCT")
    account = BillingAccount.rebuild(billing_account_id(broke),
                                     world.store.load(billing_account_id(broke)))
    assert account.total_balance == Decimal("50000.00")

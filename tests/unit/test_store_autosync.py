"""Auto-sync on the command side: an approval queues a one-item `store.sync` job only when the
project's connection has auto-sync on since before it; the same approval twice queues one;
approvals before auto-sync was turned on queue none; a running sync job makes it wait
(409)."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from commands.catalog.items import ApproveItem, approve_item
from commands.catalog.projects import UpdateProject, update_project
from commands.jobs.lifecycle import CreateJob, create_job
from commands.stores.autosync import AutoSyncApprovedItem, auto_sync_approved_item
from commands.stores.connections import (
    ChangeStoreConnection,
    CreateStoreConnection,
    change_store_connection,
    create_store_connection,
)
from domain.catalog.events import ItemApproved
from domain.catalog.ids import item_id
from domain.jobs.errors import JobAlreadyRunningError
from domain.jobs.job import Job
from tests.unit.catalog_world import World, product


@pytest.fixture
def world() -> World:
    return World()


def linked(world: World, auto_sync: bool) -> UUID:
    connection = uuid4()
    world.when(create_store_connection, CreateStoreConnection(
        org_id=world.org_id, connection_id=connection, name="Shop", platform="shopify",
        base_url="https://shop.test", auto_sync=auto_sync))
    world.when(update_project, UpdateProject(org_id=world.org_id, project_id=world.project_id,
                                             store_connection_id=connection))
    return connection


def approved(world: World, external_id: str) -> AutoSyncApprovedItem:
    """Approve an item; the command the subscriber makes of its `ItemApproved`."""
    source = world.new_source(product(external_id))
    item = item_id(source, external_id)
    world.generate(source, external_id)
    mark = world.position()
    world.when(approve_item, ApproveItem(org_id=world.org_id, project_id=world.project_id,
                                         item_id=item))
    [record] = [r for r in world.recorded_since(mark) if isinstance(r.event, ItemApproved)]
    return AutoSyncApprovedItem(org_id=world.org_id, project_id=world.project_id, item_id=item,
                                approval_version=record.aggregate_version,
                                approved_at=record.event.occurred_at)


def test_an_approval_queues_one_selected_sync_job_and_twice_still_one(world: World) -> None:
    linked(world, auto_sync=True)
    cmd = approved(world, "A")
    job_id = world.when(auto_sync_approved_item, cmd)
    job = world.load(Job, job_id)
    assert job.kind == "store.sync"
    assert job.parameters == {"mode": "selected", "item_ids": [str(cmd.item_id)]}
    mark = world.position()
    assert world.when(auto_sync_approved_item, cmd) is None  # delivered again
    assert world.events_since(mark) == []


def test_nothing_is_queued_with_auto_sync_off_or_for_an_approval_before_it_was_on(
    world: World,
) -> None:
    connection = linked(world, auto_sync=False)
    cmd = approved(world, "A")
    mark = world.position()
    assert world.when(auto_sync_approved_item, cmd) is None
    world.when(change_store_connection, ChangeStoreConnection(
        org_id=world.org_id, connection_id=connection, auto_sync=True))
    assert world.events_since(mark)  # turned on now: the approval before it stays unsynced
    mark = world.position()
    assert world.when(auto_sync_approved_item, cmd) is None
    assert world.events_since(mark) == []
    later = AutoSyncApprovedItem(**{**cmd.__dict__,
                                    "approved_at": cmd.approved_at + timedelta(hours=1)})
    assert world.when(auto_sync_approved_item, later) is not None


def test_a_running_sync_job_makes_the_approval_wait(world: World) -> None:
    linked(world, auto_sync=True)
    cmd = approved(world, "A")
    world.when(create_job, CreateJob(
        org_id=world.org_id, project_id=world.project_id, job_id=uuid4(), kind="store.sync",
        parameters={"mode": "pending", "item_ids": []}, conflicts=frozenset({"store.sync"})))
    with pytest.raises(JobAlreadyRunningError):
        world.when(auto_sync_approved_item, cmd)

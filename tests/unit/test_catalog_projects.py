"""Projects: created on a known platform, updated, trashed and restored, truncated (never
while a job runs), purged; another organization's project is not found."""

from functools import partial
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.catalog.items import ApproveItem, approve_item
from commands.catalog.projects import (
    CreateProject,
    PurgeProject,
    RestoreProject,
    StoreConnections,
    TrashProject,
    TruncateProject,
    UpdateProject,
    create_project,
    purge_project,
    restore_project,
    trash_project,
    truncate_project,
    update_project,
)
from commands.catalog.sources import DeleteSource, delete_source
from domain.catalog.data_source import DataSource
from domain.catalog.errors import ProjectInTrashError
from domain.catalog.events import (
    ProjectCreated,
    ProjectPurged,
    ProjectRestored,
    ProjectTrashed,
    ProjectTruncated,
    ProjectUpdated,
    SourceDeleted,
)
from domain.catalog.ids import item_id
from domain.catalog.project import Project
from domain.errors import InvalidCommandError, NotFoundError
from domain.jobs.errors import JobAlreadyRunningError
from tests.unit.catalog_world import World, product


@pytest.fixture
def world() -> World:
    return World()


def test_a_project_is_created_on_a_known_platform(world: World) -> None:
    event = world.store.log[-1].event
    assert isinstance(event, ProjectCreated)
    assert (event.org_id, event.name, event.platform) == (world.org_id, "Spring shop", "shopify")


@pytest.mark.parametrize(("name", "platform", "message"), [
    ("Shop", "prestashop", "unknown platform 'prestashop'"), ("  ", "shopify", "name"),
    ("x" * 201, "magento2", "name")])
def test_a_project_needs_a_name_and_a_known_platform(
    world: World, name: str, platform: str, message: str,
) -> None:
    with pytest.raises(InvalidCommandError, match=message):
        world.when(create_project, CreateProject(org_id=world.org_id, project_id=uuid4(),
                                                 name=name, platform=platform))


class KnownStoreConnections(StoreConnections):
    """Store connections of the organizations that have them."""

    def __init__(self, *known: tuple[UUID, UUID]) -> None:
        self.known = set(known)

    def exists(self, org_id: UUID, connection_id: UUID) -> bool:
        return (org_id, connection_id) in self.known


def test_an_update_records_the_new_details_once(world: World) -> None:
    connection = uuid4()
    update = partial(update_project,
                     connections=KnownStoreConnections((world.org_id, connection)))
    cmd = UpdateProject(org_id=world.org_id, project_id=world.project_id, name=" Summer ",
                        settings={"language": "de"}, store_connection_id=connection)
    world.when(update, cmd)
    mark = len(world.store.log)
    world.when(update, cmd)
    assert world.events_since(mark) == []
    assert world.store.log[-1].event == ProjectUpdated(
        org_id=world.org_id, name="Summer", settings={"language": "de"},
        store_connection_id=connection, occurred_at=world.store.log[-1].event.occurred_at)
    world.when(update_project, UpdateProject(org_id=world.org_id, project_id=world.project_id,
                                             clear_store_connection=True))
    project = world.load(Project, world.project_id)
    assert (project.name, project.store_connection_id) == ("Summer", None)


@pytest.mark.parametrize("owner", ["nobody", "another organization"])
def test_an_unknown_store_connection_is_not_found_and_changes_nothing(
    world: World, owner: str,
) -> None:
    connection = uuid4()
    connections = KnownStoreConnections(
        *([] if owner == "nobody" else [(uuid4(), connection)]))
    mark = len(world.store.log)
    with pytest.raises(NotFoundError, match=f"store connection {connection} not found"):
        world.when(partial(update_project, connections=connections), UpdateProject(
            org_id=world.org_id, project_id=world.project_id, name="Renamed",
            store_connection_id=connection))
    assert world.events_since(mark) == []
    assert world.load(Project, world.project_id).store_connection_id is None


def test_this_release_knows_no_store_connection(world: World) -> None:
    with pytest.raises(NotFoundError, match="store connection"):
        world.when(update_project, UpdateProject(
            org_id=world.org_id, project_id=world.project_id, store_connection_id=uuid4()))


def test_a_trashed_project_is_read_only_until_restored(world: World) -> None:
    source = world.new_source(product("A"))
    world.generate(source, "A")
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.when(trash_project, TrashProject(**ids))
    world.when(trash_project, TrashProject(**ids))
    with pytest.raises(ProjectInTrashError):
        world.when(approve_item, ApproveItem(**ids, item_id=item_id(source, "A")))
    with pytest.raises(ProjectInTrashError):
        world.when(update_project, UpdateProject(**ids, name="x"))
    world.when(restore_project, RestoreProject(**ids))
    world.when(approve_item, ApproveItem(**ids, item_id=item_id(source, "A")))
    assert [type(e) for e in world.events_since(0) if type(e).__name__.startswith("Project")][-2:] \
        == [ProjectTrashed, ProjectRestored]


def test_truncating_deletes_every_live_source_and_keeps_the_project(world: World) -> None:
    first = world.new_source(product("A"), product("B"))
    second = world.new_source(product("C"))
    gone = world.new_source(product("D"))
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.when(delete_source, DeleteSource(**ids, source_id=gone))
    mark = len(world.store.log)
    result = world.when(truncate_project, TruncateProject(**ids, has_running_job=False))
    assert (result.sources_deleted, result.items_deleted) == (2, 3)
    events = world.events_since(mark)
    assert [type(e) for e in events] == [ProjectTruncated, SourceDeleted, SourceDeleted]
    assert isinstance(events[0], ProjectTruncated) and events[0].source_ids == (first, second)
    assert world.load(Project, world.project_id).source_ids == []
    with pytest.raises(NotFoundError, match="not found"):
        world.when(approve_item, ApproveItem(**ids, item_id=item_id(first, "A")))
    assert world.load(DataSource, first).deleted


def test_a_project_is_not_truncated_while_a_job_runs_on_it(world: World) -> None:
    source = world.new_source(product("A"))
    mark = len(world.store.log)
    with pytest.raises(JobAlreadyRunningError):
        world.when(truncate_project, TruncateProject(org_id=world.org_id,
                                                     project_id=world.project_id,
                                                     has_running_job=True))
    assert world.events_since(mark) == []
    assert not world.load(DataSource, source).deleted


def test_a_purged_project_and_its_items_are_gone_for_good(world: World) -> None:
    source = world.new_source(product("A"))
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.when(trash_project, TrashProject(**ids))
    world.when(purge_project, PurgeProject(**ids))
    assert isinstance(world.store.log[-1].event, ProjectPurged)
    for handler, cmd in [(restore_project, RestoreProject(**ids)),
                         (purge_project, PurgeProject(**ids)),
                         (approve_item, ApproveItem(**ids, item_id=item_id(source, "A")))]:
        with pytest.raises(NotFoundError):
            world.when(handler, cmd)


def test_another_organizations_project_is_not_found(world: World) -> None:
    theirs = world.new_org()
    mark = len(world.store.log)
    for handler, cmd in [
        (update_project, UpdateProject(org_id=theirs, project_id=world.project_id, name="x")),
        (trash_project, TrashProject(org_id=theirs, project_id=world.project_id)),
        (purge_project, PurgeProject(org_id=theirs, project_id=world.project_id)),
        (truncate_project, TruncateProject(org_id=theirs, project_id=world.project_id,
                                           has_running_job=False)),
        (trash_project, TrashProject(org_id=world.org_id, project_id=uuid4())),
    ]:
        with pytest.raises(NotFoundError, match="project not found"):
            world.when(handler, cmd)
    assert world.events_since(mark) == []

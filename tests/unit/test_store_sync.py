"""Sync attempts on the command side: recorded before the write and after it, approved (or
synced) items only, success marks the item synced, an attempt ends once."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.catalog.items import ApproveItem, approve_item
from commands.catalog.projects import UpdateProject, update_project
from commands.stores.connections import CreateStoreConnection, create_store_connection
from commands.stores.sync import FinishItemSync, StartItemSync, finish_item_sync, start_item_sync
from domain.catalog.errors import ItemNotApprovedError
from domain.catalog.ids import item_id
from domain.errors import InvalidCommandError
from domain.stores.events import ItemSyncFinished, ItemSyncStarted
from domain.stores.sync_log import sync_log_id
from tests.unit.catalog_world import World, product


@pytest.fixture
def world() -> World:
    return World()


def linked(world: World) -> UUID:
    connection = uuid4()
    world.when(create_store_connection, CreateStoreConnection(
        org_id=world.org_id, connection_id=connection, name="Shop", platform="shopify",
        base_url="https://shop.test"))
    world.when(update_project, UpdateProject(org_id=world.org_id, project_id=world.project_id,
                                             store_connection_id=connection))
    return connection


def test_an_attempt_is_recorded_before_and_after_and_success_marks_the_item_synced(
    world: World,
) -> None:
    connection = linked(world)
    source = world.new_source(product("A"))
    item = item_id(source, "A")
    ids: dict[str, Any] = {"org_id": world.org_id, "project_id": world.project_id, "item_id": item}
    with pytest.raises(ItemNotApprovedError):
        world.when(start_item_sync, StartItemSync(**ids, attempt_id=uuid4()))
    world.generate(source, "A")
    world.when(approve_item, ApproveItem(org_id=world.org_id, project_id=world.project_id,
                                         item_id=item))
    attempt = uuid4()
    assert world.when(start_item_sync, StartItemSync(**ids, attempt_id=attempt)) == connection
    finish = FinishItemSync(**ids, attempt_id=attempt, success=True, store_reply_id="gid://1")
    world.when(finish_item_sync, finish)
    mark = world.position()
    world.when(finish_item_sync, finish)  # a second end of the same attempt is ignored
    assert world.events_since(mark) == []
    log = world.events_of(sync_log_id(item))
    assert [type(e) for e in log] == [ItemSyncStarted, ItemSyncFinished]
    assert isinstance(log[1], ItemSyncFinished) and log[1].store_reply_id == "gid://1"
    assert [type(e).__name__ for e in world.events_of(item)][-1] == "ItemSynced"


def test_a_failed_attempt_leaves_the_item_approved(world: World) -> None:
    linked(world)
    source = world.new_source(product("B"))
    item = item_id(source, "B")
    world.generate(source, "B")
    world.when(approve_item, ApproveItem(org_id=world.org_id, project_id=world.project_id,
                                         item_id=item))
    ids: dict[str, Any] = {"org_id": world.org_id, "project_id": world.project_id, "item_id": item}
    attempt = uuid4()
    world.when(start_item_sync, StartItemSync(**ids, attempt_id=attempt))
    world.when(finish_item_sync, FinishItemSync(**ids, attempt_id=attempt, success=False,
                                                error="Invalid ID."))
    assert "ItemSynced" not in [type(e).__name__ for e in world.events_of(item)]


def test_a_project_without_a_store_connection_does_not_sync(world: World) -> None:
    source = world.new_source(product("C"))
    with pytest.raises(InvalidCommandError, match="store_connection_id"):
        world.when(start_item_sync, StartItemSync(
            org_id=world.org_id, project_id=world.project_id, item_id=item_id(source, "C"),
            attempt_id=uuid4()))

"""Store connections on the command side: create with sealed credentials beside the event,
change (new credentials make it pending), test results, links to projects of the same
platform only, deletion refused while a project is linked."""

from uuid import UUID, uuid4

import pytest

from commands.catalog.projects import PurgeProject, UpdateProject, purge_project, update_project
from commands.stores.connections import (
    ChangeStoreConnection,
    CreateStoreConnection,
    DeleteStoreConnection,
    RecordConnectionTest,
    SealedCredentials,
    change_store_connection,
    create_store_connection,
    delete_store_connection,
    record_connection_test,
)
from domain.catalog.project import Project
from domain.errors import InvalidCommandError, NotFoundError
from domain.stores.connection import StoreConnection, check_base_url
from domain.stores.errors import ConnectionInUseError, PlatformMismatchError
from domain.stores.events import StoreConnectionCreated, StoreConnectionLinked
from tests.unit.catalog_world import World

SEALED = SealedCredentials(ciphertext=b"sealed-bytes", fingerprint="f1ngerpr1nt")


@pytest.fixture
def world() -> World:
    return World()


def new_connection(world: World, platform: str = "shopify", org_id: UUID | None = None,
                   credentials: SealedCredentials | None = SEALED) -> UUID:
    connection_id = uuid4()
    world.when(create_store_connection, CreateStoreConnection(
        org_id=org_id or world.org_id, connection_id=connection_id, name=" Main store ",
        platform=platform, base_url="https://shop.example.com/", credentials=credentials))
    return connection_id


def link(world: World, connection: UUID | None, project_id: UUID | None = None,
         clear: bool = False) -> None:
    world.when(update_project, UpdateProject(
        org_id=world.org_id, project_id=project_id or world.project_id,
        store_connection_id=connection, clear_store_connection=clear))


def test_a_connection_keeps_its_credentials_beside_the_event_and_only_a_fingerprint_in_it(
    world: World,
) -> None:
    connection_id = new_connection(world)
    [event] = world.events_of(connection_id)
    assert isinstance(event, StoreConnectionCreated)
    assert (event.name, event.base_url, event.credentials_fingerprint) == (
        "Main store", "https://shop.example.com", "f1ngerpr1nt")
    assert not world.events_mention("sealed-bytes")
    [write] = [w for w in world.store.side_writes if w.params[0] == connection_id]
    assert write.params[:2] == (connection_id, "store_credentials")
    assert b"sealed-bytes" in write.params


def test_new_credentials_make_a_tested_connection_pending_and_a_test_sets_the_status(
    world: World,
) -> None:
    connection_id = new_connection(world)
    world.when(record_connection_test, RecordConnectionTest(
        org_id=world.org_id, connection_id=connection_id, success=True, message="connected",
        store_name="Shop"))
    connection = world.load(StoreConnection, connection_id)
    assert connection.status == "active" and connection.last_connected_at is not None
    world.when(change_store_connection, ChangeStoreConnection(
        org_id=world.org_id, connection_id=connection_id,
        credentials=SealedCredentials(ciphertext=b"other", fingerprint="other")))
    assert world.load(StoreConnection, connection_id).status == "pending"
    world.when(record_connection_test, RecordConnectionTest(
        org_id=world.org_id, connection_id=connection_id, success=False, message="refused"))
    assert world.load(StoreConnection, connection_id).status == "error"
    mark = world.position()
    world.when(change_store_connection, ChangeStoreConnection(
        org_id=world.org_id, connection_id=connection_id, name="Main store"))
    assert world.events_since(mark) == []


def test_another_organizations_connection_is_not_found(world: World) -> None:
    theirs = new_connection(world, org_id=world.new_org())
    for handler, cmd in (
            (change_store_connection, ChangeStoreConnection(
                org_id=world.org_id, connection_id=theirs, name="Mine")),
            (delete_store_connection, DeleteStoreConnection(
                org_id=world.org_id, connection_id=theirs)),
            (record_connection_test, RecordConnectionTest(
                org_id=world.org_id, connection_id=theirs, success=True, message="ok"))):
        with pytest.raises(NotFoundError):
            world.when(handler, cmd)
    with pytest.raises(NotFoundError, match=f"store connection {theirs} not found"):
        link(world, theirs)


def test_a_project_links_a_connection_of_its_own_platform_only(world: World) -> None:
    woo = new_connection(world, platform="woocommerce")
    with pytest.raises(PlatformMismatchError, match="store_connection_id"):
        link(world, woo)
    shopify = new_connection(world)
    link(world, shopify)
    assert world.load(Project, world.project_id).store_connection_id == shopify
    assert world.load(StoreConnection, shopify).projects == [world.project_id]
    mark = world.position()
    link(world, shopify)
    assert world.events_since(mark) == []
    other = new_connection(world)
    link(world, other)
    assert world.load(StoreConnection, shopify).projects == []
    assert [type(e) for e in world.events_of(other)][-1] is StoreConnectionLinked


def test_a_linked_connection_is_not_deleted_until_unlinked_or_its_project_purged(
    world: World,
) -> None:
    connection_id = new_connection(world)
    link(world, connection_id)
    delete = DeleteStoreConnection(org_id=world.org_id, connection_id=connection_id)
    with pytest.raises(ConnectionInUseError, match="1 project"):
        world.when(delete_store_connection, delete)
    link(world, None, clear=True)
    assert world.load(StoreConnection, connection_id).projects == []
    link(world, connection_id)
    world.when(purge_project, PurgeProject(org_id=world.org_id, project_id=world.project_id))
    world.when(delete_store_connection, delete)
    assert not world.load(StoreConnection, connection_id).live
    with pytest.raises(NotFoundError):
        world.when(delete_store_connection, delete)


@pytest.mark.parametrize("url", ["ftp://shop.test", "https://", "https://u:p@shop.test",
                                 "https://shop.test/?x=1", "", "https://shop.test:99999"])
def test_a_base_url_is_http_with_a_host_and_no_credentials(url: str) -> None:
    with pytest.raises(InvalidCommandError, match="base_url"):
        check_base_url(url)


def test_bad_fields_are_refused_by_name(world: World) -> None:
    for field, name, platform in (("platform", "X", "bigcommerce"), ("name", "  ", "shopify")):
        with pytest.raises(InvalidCommandError, match=field):
            world.when(create_store_connection, CreateStoreConnection(
                org_id=world.org_id, connection_id=uuid4(), name=name, platform=platform,
                base_url="https://shop.test"))
    connection_id = new_connection(world, credentials=None)
    assert not world.load(StoreConnection, connection_id).has_credentials
    with pytest.raises(InvalidCommandError, match="status"):
        world.when(change_store_connection, ChangeStoreConnection(
            org_id=world.org_id, connection_id=connection_id, status="asleep"))

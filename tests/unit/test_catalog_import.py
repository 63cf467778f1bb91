"""Sources and their products: a batch makes one item per new product, a re-import skips
what the source imported before, bad records are refused with their line, a deleted source
takes its items along."""

import time
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.catalog.access import load_item
from commands.catalog.projects import TrashProject, trash_project
from commands.catalog.sources import (
    CompleteSourceImport,
    DeleteSource,
    FailSourceImport,
    ImportProducts,
    RegisterFileSource,
    complete_source_import,
    delete_source,
    fail_source_import,
    import_products,
    register_file_source,
)
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import COMPLETED, FAILED, PROCESSING, DataSource
from domain.catalog.errors import ProjectInTrashError
from domain.catalog.events import ProductBatchImported, ProductsImported, SourceRegistered
from domain.catalog.ids import import_batch_id, item_id
from domain.catalog.import_batch import IMPORTED_ITEMS, MAX_BATCH_CHARACTERS, MAX_PRODUCT_CHARACTERS
from domain.errors import InvalidCommandError, NotFoundError, TooLargeError
from domain.events import DomainEvent
from domain.log import StaleWriteError
from tests.unit.catalog_world import META, World, product


@pytest.fixture
def world() -> World:
    return World()


def file_source(world: World) -> RegisterFileSource:
    cmd = RegisterFileSource(
        org_id=world.org_id, project_id=world.project_id, source_id=uuid4(), name="spring.csv",
        platform="shopify", filename="spring.csv", file_key=f"uploads/{uuid4()}.csv",
        column_mapping={"Handle": "external_id", "Title": "name"})
    world.when(register_file_source, cmd)
    return cmd


def batch(world: World, source: RegisterFileSource, *records: object) -> ImportProducts:
    return ImportProducts(org_id=world.org_id, project_id=world.project_id,
                          source_id=source.source_id, records=records)  # type: ignore[arg-type]


def test_a_file_source_is_processing_until_its_import_completes(world: World) -> None:
    cmd = file_source(world)
    event = world.store.log[-1].event
    assert isinstance(event, SourceRegistered)
    assert (event.kind, event.status, event.file_key) == ("file", PROCESSING, cmd.file_key)
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id, source_id=cmd.source_id)
    world.when(complete_source_import, CompleteSourceImport(**ids))
    assert world.load(DataSource, cmd.source_id).status == COMPLETED
    world.when(fail_source_import, FailSourceImport(**ids, error_message="line 7: bad quote"))
    assert world.load(DataSource, cmd.source_id).status == FAILED


def test_a_batch_makes_one_item_per_product_with_its_id_from_the_source(world: World) -> None:
    source = file_source(world)
    mark = len(world.store.log)
    result = world.when(import_products, batch(
        world, source, product("TEE", "parent"), product("TEE-S", "variant", parent="TEE"),
        product("MUG", price="9.90")))
    assert (result.imported, result.skipped) == (3, 0)
    events = world.events_since(mark)
    assert isinstance(events[0], ProductsImported)
    assert events[0].external_ids == ("TEE", "TEE-S", "MUG")
    assert events[0].parents == {"TEE-S": "TEE"}
    [written] = events[1:]
    assert isinstance(written, ProductBatchImported)
    assert [(p.external_id, p.item_type, p.parent_external_id) for p in written.products] == [
        ("TEE", "parent", None), ("TEE-S", "variant", "TEE"), ("MUG", "simple", None)]
    assert written.products[2].source_data == {"sku": "MUG", "price": "9.90"}
    assert world.store.log[-1].aggregate_id == import_batch_id(source.source_id, "TEE")
    mug = world.item(source.source_id, "MUG")
    assert mug.id == item_id(source.source_id, "MUG")
    assert (mug.item_type, mug.source_id, mug.status) == ("simple", source.source_id, "pending")
    assert mug.exists and mug.version == 0  # known from the index, no stream of its own
    assert world.store.look_up(IMPORTED_ITEMS, item_id(source.source_id, "TEE-S")) == {
        "org_id": str(world.org_id), "project_id": str(world.project_id),
        "source_id": str(source.source_id), "external_id": "TEE-S", "item_type": "variant",
        "parent_external_id": "TEE"}


def test_a_re_import_skips_the_products_the_source_already_has(world: World) -> None:
    source = file_source(world)
    world.when(import_products, batch(world, source, product("A"), product("B")))
    mark = len(world.store.log)
    result = world.when(import_products, batch(
        world, source, product("B"), product("C"), product("C", name="duplicate row")))
    assert (result.imported, result.skipped) == (1, 2)
    assert [p.external_id for e in world.events_since(mark) if isinstance(e, ProductBatchImported)
            for p in e.products] == ["C"]
    again = world.when(import_products, batch(world, source, product("A"), product("C")))
    assert (again.imported, again.skipped) == (0, 2)
    assert len(world.store.log) == mark + 2


@pytest.mark.parametrize(("record", "message"), [
    (product(""), "line 9: the product id"), (product("A", "bundle"), "unknown item type"),
    (product("A", "variant"), "line 9: a variant needs its parent"),
    (product("A", name="x" * 1001), "name is longer")])
def test_a_bad_record_refuses_the_whole_batch_naming_its_line(
    world: World, record: object, message: str,
) -> None:
    source = file_source(world)
    mark = len(world.store.log)
    with pytest.raises(InvalidCommandError, match=message):
        world.when(import_products, batch(world, source, product("OK"),
                                          replace(record, line=9)))  # type: ignore[type-var]
    assert world.events_since(mark) == []


def test_a_product_with_too_much_text_is_refused_naming_its_line(world: World) -> None:
    source = file_source(world)
    mark = len(world.store.log)
    huge = product("BIG", line=41, description="x" * MAX_PRODUCT_CHARACTERS)
    with pytest.raises(InvalidCommandError, match="line 41: the product has 100,0"):
        world.when(import_products, batch(world, source, product("OK"), huge))
    assert world.events_since(mark) == []


def test_products_are_written_in_batches_of_bounded_size(world: World) -> None:
    """However long the products' texts, no batch event outgrows what one message carries."""
    source = file_source(world)
    mark = len(world.store.log)
    records = [product(f"P{n}", description="word " * (2000 + 350 * n)) for n in range(40)]
    result = world.when(import_products, batch(world, source, *records))
    assert result.imported == 40
    batches = [e for e in world.events_since(mark) if isinstance(e, ProductBatchImported)]
    assert len(batches) > 5
    assert [p.external_id for b in batches for p in b.products] == [f"P{n}" for n in range(40)]
    for written in batches:
        assert sum(len(p.source_data["description"]) for p in written.products) \
            <= MAX_BATCH_CHARACTERS


def test_an_item_imported_in_a_batch_begins_its_stream_with_its_first_change(
    world: World,
) -> None:
    source = world.new_source(product("A"), product("B"))
    world.generate(source, "A")
    a = world.item(source, "A")
    assert (a.version, a.status, a.source_id, a.external_id) == (1, "generated", source, "A")
    assert world.item(source, "B").version == 0


def test_two_first_changes_of_one_item_do_not_both_land(world: World) -> None:
    """The second one finds the item's stream begun (a stale write, run again by the bus)."""
    source = world.new_source(product("A"))
    first, second = UnitOfWork(world.store), UnitOfWork(world.store)
    for uow in (first, second):
        load_item(uow, world.org_id, world.project_id, item_id(source, "A")).exclude()
    world.store.append(first.new_events(), META)
    with pytest.raises(StaleWriteError):
        world.store.append(second.new_events(), META)


def test_an_index_entry_is_written_once(world: World) -> None:
    source = file_source(world)
    world.when(import_products, batch(world, source, product("A")))
    uow = UnitOfWork(world.store)
    uow.add_to_index(IMPORTED_ITEMS, {item_id(source.source_id, "A"): {"again": True}})
    with pytest.raises(StaleWriteError):
        world.store.append([], META, uow.side_writes)
    assert world.item(source.source_id, "A").external_id == "A"


def test_a_batch_larger_than_allowed_is_refused(world: World) -> None:
    source = file_source(world)
    with pytest.raises(TooLargeError):
        world.when(import_products, batch(world, source, *[product(f"P{n}") for n in range(5001)]))


def test_products_go_only_to_a_live_source_of_an_active_project(world: World) -> None:
    source = file_source(world)
    world.when(delete_source, DeleteSource(org_id=world.org_id, project_id=world.project_id,
                                           source_id=source.source_id))
    with pytest.raises(NotFoundError, match="data source not found"):
        world.when(import_products, batch(world, source, product("A")))
    other_project = world.new_project()
    with pytest.raises(NotFoundError, match="data source not found"):
        world.when(import_products, ImportProducts(
            org_id=world.org_id, project_id=other_project, source_id=file_source(world).source_id,
            records=[product("A")]))
    with pytest.raises(NotFoundError, match="project not found"):
        world.when(import_products, ImportProducts(
            org_id=world.new_org(), project_id=world.project_id, source_id=uuid4(), records=[]))


def test_a_deleted_sources_items_are_not_found(world: World) -> None:
    source = world.new_source(product("A"))
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.when(delete_source, DeleteSource(**ids, source_id=source))
    with pytest.raises(NotFoundError, match="not found"):
        world.when(lambda uow, _: load_item(uow, world.org_id, world.project_id,
                                            item_id(source, "A")), None)
    with pytest.raises(NotFoundError):
        world.when(delete_source, DeleteSource(**ids, source_id=source))


def test_a_manual_source_in_a_trashed_project_is_refused(world: World) -> None:
    world.when(trash_project, TrashProject(org_id=world.org_id, project_id=world.project_id))
    with pytest.raises(ProjectInTrashError):
        world.new_source(product("A"))


class CountingStore(InMemoryEventStore):
    """The in-memory store, noting which aggregates were read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[UUID] = []

    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]:
        self.reads.append(aggregate_id)
        return super().load(aggregate_id, until)


def test_a_thousand_products_are_imported_without_reading_the_store_for_each() -> None:
    """The new items are written blind: the store is read for the project and the source
    only, whatever the batch size (the source knows what it imported)."""
    world = World(CountingStore())
    source = file_source(world)
    assert isinstance(world.store, CountingStore)
    world.store.reads.clear()
    records = [product(f"SKU-{n:05d}", line=n + 2, price="9.90", description="cotton " * 20)
               for n in range(1000)]
    started = time.perf_counter()
    result = world.when(import_products, batch(world, source, *records))
    elapsed = time.perf_counter() - started
    assert world.store.reads == [world.project_id, source.source_id]
    assert result.imported == 1000 and elapsed < 5
    assert world.item(source.source_id, "SKU-00999").exists


def test_an_item_unit_of_work_loads_each_aggregate_once(world: World) -> None:
    source = world.new_source(product("A"))
    uow = UnitOfWork(world.store)
    first = load_item(uow, world.org_id, world.project_id, item_id(source, "A"))
    assert load_item(uow, world.org_id, world.project_id, item_id(source, "A")) is first


def test_an_item_command_does_not_load_the_items_source() -> None:
    """A source may hold many thousands of products; the project knows whether it lives."""
    world = World(CountingStore())
    source = world.new_source(product("A"), product("B"))
    assert isinstance(world.store, CountingStore)
    world.store.reads.clear()
    world.generate(source, "A")
    assert world.store.reads == [world.project_id, item_id(source, "A")]

"""A manual source's products one at a time: given a source, when a product is added,
edited or removed, then the source and the item record it — and a file source's products,
another organization's and a duplicate are refused."""

from uuid import UUID, uuid4

import pytest

from commands.catalog.access import load_item
from commands.catalog.manual_products import (
    AddProduct,
    EditProduct,
    RemoveProduct,
    add_product,
    edit_product,
    remove_product,
)
from commands.catalog.sources import (
    ImportProducts,
    RegisterFileSource,
    import_products,
    register_file_source,
)
from commands.unit_of_work import UnitOfWork
from domain.catalog.events import (
    ItemImported,
    ProductEdited,
    ProductRemoved,
    ProductsImported,
    SourceProductRemoved,
)
from domain.catalog.ids import item_id
from domain.catalog.import_batch import MAX_PRODUCT_CHARACTERS
from domain.catalog.records import ProductRecord
from domain.errors import ConflictError, InvalidCommandError, NotFoundError
from projections.catalog.projection import CatalogBoard
from projections.writes import Writes
from tests.unit.catalog_world import World, product
from tests.unit.test_catalog_projection_writes import recorded


@pytest.fixture
def world() -> World:
    return World()


def add(world: World, source_id: UUID, record: ProductRecord, org_id: UUID | None = None) -> None:
    world.when(add_product, AddProduct(org_id=org_id or world.org_id, project_id=world.project_id,
                                       source_id=source_id, record=record))


def edit(world: World, source_id: UUID, external_id: str, **fields: object) -> None:
    world.when(edit_product, EditProduct(
        org_id=world.org_id, project_id=world.project_id, source_id=source_id,
        item_id=item_id(source_id, external_id), fields=dict(fields), platform_fields={}))


def remove(world: World, source_id: UUID, external_id: str) -> None:
    world.when(remove_product, RemoveProduct(
        org_id=world.org_id, project_id=world.project_id, source_id=source_id,
        item_id=item_id(source_id, external_id)))


def file_source(world: World) -> UUID:
    source_id = uuid4()
    world.when(register_file_source, RegisterFileSource(
        org_id=world.org_id, project_id=world.project_id, source_id=source_id, name="a.csv",
        platform="shopify", filename="a.csv", file_key="k", column_mapping={}))
    world.when(import_products, ImportProducts(org_id=world.org_id, project_id=world.project_id,
                                               source_id=source_id, records=[product("F-1")]))
    return source_id


def test_a_product_added_to_a_manual_source_is_an_item_of_its_own(world: World) -> None:
    source = world.new_source()
    mark = len(world.store.log)

    add(world, source, product("MUG", name="Mug", price="9.00"))

    source_event, item_event = world.events_since(mark)
    assert isinstance(source_event, ProductsImported) and source_event.external_ids == ("MUG",)
    assert isinstance(item_event, ItemImported)
    assert (item_event.name, item_event.source_data["price"]) == ("Mug", "9.00")
    item = load_item(UnitOfWork(world.store), world.org_id, world.project_id,
                     item_id(source, "MUG"))
    assert (item.external_id, item.status) == ("MUG", "pending")


def test_a_products_id_is_taken_once_and_a_variant_needs_its_parent_there(world: World) -> None:
    source = world.new_source(product("TEE", item_type="parent"))
    with pytest.raises(ConflictError, match="already in this source"):
        add(world, source, product("TEE"))
    with pytest.raises(InvalidCommandError, match="parent 'NOPE' is not in this source"):
        add(world, source, product("TEE-S", item_type="variant", parent="NOPE"))
    add(world, source, product("TEE-S", item_type="variant", parent="TEE"))
    assert world.item(source, "TEE-S").parent_external_id == "TEE"


def test_edited_fields_are_recorded_as_changes_and_none_removes_one(world: World) -> None:
    source = world.new_source(product("MUG", price="9.00"))
    mark = len(world.store.log)

    edit(world, source, "MUG", name="Big mug", price=None)

    (event,) = world.events_since(mark)
    assert isinstance(event, ProductEdited)
    assert (event.fields, event.platform_fields) == ({"name": "Big mug", "price": None}, {})
    edit(world, source, "MUG")
    assert len(world.store.log) == mark + 1, "nothing to change records nothing"


@pytest.mark.parametrize(("fields", "words"), [
    ({"colour": "red"}, "unknown product field"), ({"name": None}, "name must be text"),
    ({"sku": 5}, "sku must be text"),
    ({"description": "x" * (MAX_PRODUCT_CHARACTERS + 1)}, "characters of text")])
def test_changes_a_product_cannot_take_are_refused(
    world: World, fields: dict[str, object], words: str
) -> None:
    source = world.new_source(product("MUG"))
    with pytest.raises(InvalidCommandError, match=words):
        edit(world, source, "MUG", **fields)


def test_a_removed_product_is_gone_and_may_come_back_as_a_new_item(world: World) -> None:
    source = world.new_source(product("MUG"))
    world.generate(source, "MUG")
    mark = len(world.store.log)

    remove(world, source, "MUG")

    assert [type(e) for e in world.events_since(mark)] == [SourceProductRemoved, ProductRemoved]
    with pytest.raises(NotFoundError):
        load_item(UnitOfWork(world.store), world.org_id, world.project_id, item_id(source, "MUG"))
    with pytest.raises(NotFoundError):
        remove(world, source, "MUG")
    add(world, source, product("MUG"))
    again = world.item(source, "MUG")
    assert (again.status, again.content, again.removed) == ("pending", {}, False)


def test_a_parent_is_removed_only_after_its_variants(world: World) -> None:
    source = world.new_source(product("TEE", item_type="parent"),
                              product("TEE-S", item_type="variant", parent="TEE"))
    with pytest.raises(ConflictError, match="has variants"):
        remove(world, source, "TEE")
    remove(world, source, "TEE-S")
    remove(world, source, "TEE")


def test_a_file_sources_products_are_not_changed_one_by_one(world: World) -> None:
    source = file_source(world)
    with pytest.raises(InvalidCommandError, match="only in a manual source"):
        add(world, source, product("F-2"))
    with pytest.raises(InvalidCommandError, match="only in a manual source"):
        edit(world, source, "F-1", name="Other")
    with pytest.raises(InvalidCommandError, match="only in a manual source"):
        remove(world, source, "F-1")


def test_another_organizations_source_and_another_sources_item_are_not_found(
    world: World
) -> None:
    source = world.new_source(product("MUG"))
    other_source = world.new_source(product("CUP"))
    with pytest.raises(NotFoundError):
        add(world, source, product("X"), org_id=world.new_org())
    with pytest.raises(NotFoundError):
        world.when(edit_product, EditProduct(
            org_id=world.org_id, project_id=world.project_id, source_id=source,
            item_id=item_id(other_source, "CUP"), fields={"name": "Mine"}, platform_fields={}))


def test_the_read_model_takes_edits_field_by_field() -> None:
    writes, aid = Writes(), uuid4()
    event = ProductEdited(org_id=uuid4(), project_id=uuid4(), by=None,
                          fields={"name": "Big mug", "sku": None, "price": "9.50"},
                          platform_fields={"Colour": "red", "Size": None})
    CatalogBoard().apply(writes, recorded(7, aid, event))
    (_, fields), (_, platform) = writes.ordered
    assert list(fields) == ["Big mug", True, None, ["sku"], '{"name":"Big mug","price":"9.50"}',
                            event.occurred_at, aid]
    assert list(platform) == [["Size"], '{"Colour":"red"}', aid]

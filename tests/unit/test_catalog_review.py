"""Review through the handlers: a parent's variants follow its exclusion and restoration, a
batch status is all or nothing, a generation result is kept once per job, another
organization's items are not found."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.catalog.items import (
    ApproveItem,
    BatchSetStatus,
    EditItem,
    ExcludeItems,
    FlagItem,
    MarkItemSynced,
    RejectItem,
    RestoreItems,
    approve_item,
    batch_set_status,
    edit_item,
    exclude_items,
    flag_item,
    mark_item_synced,
    reject_item,
    restore_items,
)
from commands.generation.results import (
    MarkForRegeneration,
    RecordGenerationFailure,
    mark_for_regeneration,
    record_generation_failure,
)
from domain.catalog.errors import NotAReviewStatusError, NothingToReviewError
from domain.catalog.events import ItemExcluded, ItemRestored
from domain.catalog.ids import item_id
from domain.errors import InvalidCommandError, NotFoundError
from tests.unit.catalog_world import World, product


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def tees(world: World) -> UUID:
    """A source with a T-shirt (parent) in two sizes and a mug."""
    return world.new_source(product("TEE", "parent"), product("TEE-S", "variant", "TEE"),
                            product("TEE-M", "variant", "TEE"), product("MUG"))


def ids_of(source: UUID, *external_ids: str) -> list[UUID]:
    return [item_id(source, e) for e in external_ids]


def test_excluding_a_parent_excludes_its_variants_too(world: World, tees: UUID) -> None:
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    mark = len(world.store.log)
    changed = world.when(exclude_items, ExcludeItems(**ids, item_ids=ids_of(tees, "TEE", "MUG")))
    assert changed == ids_of(tees, "TEE", "TEE-S", "TEE-M", "MUG")
    records = world.store.log[mark:]
    assert all(isinstance(r.event, ItemExcluded) for r in records)
    parent = item_id(tees, "TEE")
    assert {r.aggregate_id: getattr(r.event, "cascaded_from", "?") for r in records} == dict(
        zip(changed, [None, parent, parent, None], strict=True))
    assert world.when(exclude_items, ExcludeItems(**ids, item_ids=ids_of(tees, "TEE"))) == []


def test_restoring_a_parent_restores_its_variants_too(world: World, tees: UUID) -> None:
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.when(exclude_items, ExcludeItems(**ids, item_ids=ids_of(tees, "TEE")))
    mark = len(world.store.log)
    restored = world.when(restore_items, RestoreItems(**ids, item_ids=ids_of(tees, "TEE")))
    assert restored == ids_of(tees, "TEE", "TEE-S", "TEE-M")
    assert all(isinstance(e, ItemRestored) for e in world.events_since(mark))
    assert not any(world.item(tees, e).excluded for e in ("TEE", "TEE-S", "TEE-M"))


def test_excluding_a_variant_leaves_its_parent_and_siblings(world: World, tees: UUID) -> None:
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    assert world.when(exclude_items, ExcludeItems(**ids, item_ids=ids_of(tees, "TEE-S"))) == \
        ids_of(tees, "TEE-S")
    assert not world.item(tees, "TEE").excluded and not world.item(tees, "TEE-M").excluded


def test_a_batch_status_is_all_or_nothing(world: World, tees: UUID) -> None:
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id)
    world.generate(tees, "TEE")
    world.generate(tees, "MUG")
    mark = len(world.store.log)
    with pytest.raises(NothingToReviewError):  # TEE-S was never generated
        world.when(batch_set_status, BatchSetStatus(
            **ids, item_ids=ids_of(tees, "TEE", "TEE-S", "MUG"), status="approved"))
    with pytest.raises(NotFoundError, match="not found"):
        world.when(batch_set_status, BatchSetStatus(
            **ids, item_ids=[*ids_of(tees, "TEE"), uuid4()], status="approved"))
    with pytest.raises(NotAReviewStatusError):
        world.when(batch_set_status, BatchSetStatus(**ids, item_ids=ids_of(tees, "TEE"),
                                                    status="done"))
    assert world.events_since(mark) == []
    done = world.when(batch_set_status, BatchSetStatus(
        **ids, item_ids=ids_of(tees, "MUG", "TEE", "MUG"), status="approved"))
    assert done == ids_of(tees, "MUG", "TEE")
    assert world.item(tees, "TEE").status == world.item(tees, "MUG").status == "approved"


def test_a_batch_is_limited_to_a_thousand_items(world: World, tees: UUID) -> None:
    with pytest.raises(InvalidCommandError, match="at most 1000"):
        world.when(batch_set_status, BatchSetStatus(
            org_id=world.org_id, project_id=world.project_id,
            item_ids=[uuid4() for _ in range(1001)], status="approved"))


def test_review_commands_change_the_status_and_keep_the_reviewer(
    world: World, tees: UUID,
) -> None:
    reviewer = uuid4()
    ids: dict[str, Any] = dict(org_id=world.org_id, project_id=world.project_id, item_id=item_id(tees, "MUG"),
               actor_id=reviewer)
    world.generate(tees, "MUG")
    for handler, cmd, status in [(flag_item, FlagItem(**ids), "flagged"),
                                 (reject_item, RejectItem(**ids), "rejected"),
                                 (approve_item, ApproveItem(**ids), "approved")]:
        world.when(handler, cmd)
        assert world.item(tees, "MUG").status == status
    world.when(edit_item, EditItem(**ids, content={"name": "Big mug"}, metadata={"n": 1}))
    item = world.item(tees, "MUG")
    assert item.history[-1].edited_by == reviewer and item.content["name"] == "Big mug"
    world.when(mark_item_synced, MarkItemSynced(org_id=world.org_id,
                                                project_id=world.project_id,
                                                item_id=item_id(tees, "MUG")))
    assert world.item(tees, "MUG").status == "synced"


def test_a_generation_result_is_kept_once_per_job(world: World, tees: UUID) -> None:
    job = uuid4()
    assert world.generate(tees, "MUG", job_id=job) is True
    mark = len(world.store.log)
    assert world.generate(tees, "MUG", job_id=job, score=0.1) is False
    assert world.when(record_generation_failure, RecordGenerationFailure(
        org_id=world.org_id, project_id=world.project_id, item_id=item_id(tees, "MUG"),
        job_id=job, reason="late duplicate")) is False
    assert world.events_since(mark) == []
    assert world.item(tees, "MUG").status == "generated"


def test_a_low_score_flags_and_regeneration_puts_items_back_to_pending(
    world: World, tees: UUID,
) -> None:
    world.generate(tees, "MUG", score=0.4, reasons=("name missing",))
    world.generate(tees, "TEE")
    assert world.item(tees, "MUG").status == "flagged"
    changed = world.when(mark_for_regeneration, MarkForRegeneration(
        org_id=world.org_id, project_id=world.project_id, item_ids=ids_of(tees, "MUG", "TEE")))
    assert changed == ids_of(tees, "MUG", "TEE")
    assert world.item(tees, "MUG").status == world.item(tees, "TEE").status == "pending"


def test_another_organizations_items_are_not_found(world: World, tees: UUID) -> None:
    theirs = world.new_org()
    their_project = world.new_project(org_id=theirs)
    mark = len(world.store.log)
    mug = item_id(tees, "MUG")
    for project in (world.project_id, their_project):
        for handler, cmd in [
            (approve_item, ApproveItem(org_id=theirs, project_id=project, item_id=mug)),
            (exclude_items, ExcludeItems(org_id=theirs, project_id=project, item_ids=[mug])),
            (edit_item, EditItem(org_id=theirs, project_id=project, item_id=mug,
                                 content={"name": "x"})),
        ]:
            with pytest.raises(NotFoundError, match="not found"):
                world.when(handler, cmd)
    assert world.events_since(mark) == []

"""The page builder's operations on blocks: ids given where missing, add/update/remove/move,
and refusals that say what is wrong."""

import pytest

from domain.errors import InvalidCommandError
from domain.pages.builder import BlockOperation, apply, with_ids

HERO = {"type": "hero", "props": {"headline": "Hi"}}
TEXT = {"type": "text_section", "props": {"body": "Words"}}


def test_blocks_without_ids_get_the_first_free_one_of_their_type() -> None:
    named = with_ids([HERO, {**HERO, "id": "hero-1"}, TEXT, HERO])
    assert [b["id"] for b in named] == ["hero-2", "hero-1", "text_section-1", "hero-3"]


def test_add_update_move_and_remove() -> None:
    added = apply([HERO, TEXT], BlockOperation(operation="add", block_type="cta_banner",
                                               props={"text": "Buy"}, position=1))
    assert [b["id"] for b in added.blocks] == ["hero-1", "cta_banner-1", "text_section-1"]
    assert (added.block_id, added.position) == ("cta_banner-1", 1)
    updated = apply(added.blocks, BlockOperation(operation="update", block_id="hero-1",
                                                 props={"headline": "New", "subheadline": "S"}))
    assert updated.block == {"type": "hero", "id": "hero-1",
                             "props": {"headline": "New", "subheadline": "S"}}
    cleared = apply(updated.blocks, BlockOperation(operation="update", block_id="hero-1",
                                                   props={"subheadline": None}))
    assert cleared.blocks[0]["props"] == {"headline": "New"}
    moved = apply(cleared.blocks, BlockOperation(operation="move", block_id="hero-1",
                                                 position=2))
    assert [b["id"] for b in moved.blocks] == ["cta_banner-1", "text_section-1", "hero-1"]
    removed = apply(moved.blocks, BlockOperation(operation="remove", block_id="cta_banner-1"))
    assert [b["id"] for b in removed.blocks] == ["text_section-1", "hero-1"]
    assert removed.block is None


@pytest.mark.parametrize(("op", "says"), [
    (BlockOperation(operation="remove", block_id="nope"), "no block 'nope'"),
    (BlockOperation(operation="move", block_id="hero-1", position=5), "position"),
    (BlockOperation(operation="add", props={}), "type"),
    (BlockOperation(operation="add", block_type="hero", block_id="hero-1"), "already"),
    (BlockOperation(operation="add", block_type="hero", block_id="bad id!"), "block id"),
    (BlockOperation(operation="update", block_id="hero-1"), "props"),
])
def test_refusals_name_the_problem(op: BlockOperation, says: str) -> None:
    with pytest.raises(InvalidCommandError, match=says):
        apply([HERO, TEXT], op)

"""Operations on a landing page's blocks, as the page builder (a user or an agent) asks them:
add a block at a position, update a block's props, remove a block, move a block.

Blocks are addressed by their `id`; a block without one is given `<type>-<n>` (the first
free n) before any operation, so every block can be named. Applying an operation is pure and
checks what the page's structure needs (an id that exists, a position in range, no second
block with the same id); the props of the block that results are checked against its JSON
Schema by the caller, before anything is recorded.
"""

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, Literal

from domain.errors import InvalidCommandError
from domain.pages.blocks import MAX_BLOCKS

Operation = Literal["add", "update", "remove", "move"]
OPERATIONS: tuple[Operation, ...] = ("add", "update", "remove", "move")
ACTORS = ("user", "agent")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclasses.dataclass(frozen=True, kw_only=True)
class BlockOperation:
    operation: Operation
    block_id: str | None = None
    """The block updated, removed or moved (an added block may name its own id)."""
    block_type: str | None = None
    """add: the type of the new block."""
    props: dict[str, Any] | None = None
    """add: the new block's props; update: the props that change (None removes one)."""
    position: int | None = None
    """add / move: the index the block ends at (None: the end)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Applied:
    blocks: tuple[dict[str, Any], ...]
    block_id: str
    block: dict[str, Any] | None
    """The block as it is after the operation (None once removed)."""
    position: int | None


def with_ids(blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks, each with an id (kept when it has one, `<type>-<n>` when not)."""
    taken = {str(b["id"]) for b in blocks if b.get("id")}
    named = []
    for block in blocks:
        if not block.get("id"):
            n = 1
            while f"{block['type']}-{n}" in taken:
                n += 1
            block = {**block, "id": f"{block['type']}-{n}"}
            taken.add(block["id"])
        named.append(dict(block))
    return named


def _index_of(blocks: list[dict[str, Any]], block_id: str | None) -> int:
    for n, block in enumerate(blocks):
        if block["id"] == block_id:
            return n
    ids = ", ".join(b["id"] for b in blocks) or "none"
    raise InvalidCommandError(f"no block {block_id!r} on the page (its blocks: {ids})")


def _position(position: int | None, size: int) -> int:
    if position is None:
        return size
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= size:
        raise InvalidCommandError(f"position must be a whole number from 0 to {size}")
    return position


def apply(blocks: Sequence[dict[str, Any]], op: BlockOperation) -> Applied:
    """The page's blocks after `op`; InvalidCommandError saying what is wrong with it."""
    current = with_ids(blocks)
    if op.operation == "add":
        return _add(current, op)
    index = _index_of(current, op.block_id)
    block = current[index]
    if op.operation == "update":
        if not op.props:
            raise InvalidCommandError("update needs the props that change")
        props = {**block["props"], **op.props}
        current[index] = {**block, "props": {k: v for k, v in props.items() if v is not None}}
        return Applied(blocks=tuple(current), block_id=block["id"], block=current[index],
                       position=index)
    if op.operation == "remove":
        del current[index]
        return Applied(blocks=tuple(current), block_id=block["id"], block=None, position=None)
    if op.operation == "move":
        del current[index]
        position = _position(op.position, len(current))
        current.insert(position, block)
        return Applied(blocks=tuple(current), block_id=block["id"], block=block,
                       position=position)
    raise InvalidCommandError(f"operation must be one of {', '.join(OPERATIONS)}")


def _add(current: list[dict[str, Any]], op: BlockOperation) -> Applied:
    if len(current) >= MAX_BLOCKS:
        raise InvalidCommandError(f"a page holds at most {MAX_BLOCKS} blocks")
    if not op.block_type:
        raise InvalidCommandError("add needs the type of the block")
    block: dict[str, Any] = {"type": op.block_type, "props": dict(op.props or {})}
    if op.block_id is not None:
        if not _ID.match(op.block_id):
            raise InvalidCommandError("a block id is 1 to 64 letters, digits, '-' or '_'")
        if any(b["id"] == op.block_id for b in current):
            raise InvalidCommandError(f"the page already has a block {op.block_id!r}")
        block["id"] = op.block_id
    position = _position(op.position, len(current))
    current.insert(position, block)
    named = with_ids(current)
    return Applied(blocks=tuple(named), block_id=named[position]["id"], block=named[position],
                   position=position)

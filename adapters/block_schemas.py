"""Blocks checked against their JSON Schemas (`domain.pages.blocks`) by a JSON Schema
library, wherever they come from: a template, a page, an agent's operation, an import.

A refusal names the path of the bad field, `blocks[2].props.headline`, and what is wrong
with it, so a client (or an agent) can fix exactly that.
"""

import functools
from collections.abc import Sequence
from typing import Any

import jsonschema_rs

from domain.errors import InvalidCommandError
from domain.pages.blocks import BLOCK, BLOCK_TYPES, MAX_BLOCKS

MAX_MESSAGE = 200


@functools.cache
def _validator(kind: str) -> Any:
    schema = BLOCK if kind == "" else BLOCK_TYPES[kind]["schema"]
    return jsonschema_rs.validator_for(schema)


def _path(prefix: str, parts: Sequence[str | int]) -> str:
    path = prefix
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _said(message: str) -> str:
    """A message quotes the bad value: a long one is cut."""
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"


def block_errors(block: Any, where: str = "block") -> list[str]:
    """Every problem of one block, each "path: message"; empty when it is valid."""
    if isinstance(block, dict) and isinstance(block.get("type"), str) and (
            block["type"] not in BLOCK_TYPES):
        return [f"{where}.type: unknown block type {_said(repr(block['type']))}; the types are"
                f" {', '.join(sorted(BLOCK_TYPES))}"]
    errors = [f"{_path(where, list(e.instance_path))}: {_said(e.message)}"
              for e in _validator("").iter_errors(block)]
    if errors:
        return errors
    props_at = f"{where}.props"
    return [f"{_path(props_at, list(e.instance_path))}: {_said(e.message)}"
            for e in _validator(block["type"]).iter_errors(block["props"])]


def check_block(block: Any, where: str = "block") -> dict[str, Any]:
    """The block when valid; InvalidCommandError naming the first bad field otherwise."""
    errors = block_errors(block, where)
    if errors:
        raise InvalidCommandError(errors[0])
    return dict(block)


def check_blocks(blocks: Any, where: str = "blocks") -> tuple[dict[str, Any], ...]:
    """A list of valid blocks; InvalidCommandError naming the first bad field otherwise."""
    if not isinstance(blocks, list):
        raise InvalidCommandError(f"{where} must be an array of {{type, props}} objects")
    if len(blocks) > MAX_BLOCKS:
        raise InvalidCommandError(f"{where} must hold at most {MAX_BLOCKS} blocks")
    return tuple(check_block(block, f"{where}[{n}]") for n, block in enumerate(blocks))

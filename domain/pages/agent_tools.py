"""The page builder's agent: the tools it may call and the shapes of a turn.

Both agents — Claude with tool use, and the offline rule-based one — speak this protocol:
each turn says some text and asks for tool calls; the session runs the calls and hands their
results to the next turn; a turn without calls ends the session.
"""

import dataclasses
from typing import Any

from domain.pages.blocks import BLOCK_TYPES

_BLOCK_ID = {"type": "string", "description": "the id of a block on the page (see read_page)"}
_POSITION = {"type": "integer", "minimum": 0,
             "description": "the index the block ends at (0: the top; omitted: the end)"}
TOOLS: list[dict[str, Any]] = [
    {"name": "read_page", "description": "The page's title and its blocks, in order, each with"
     " its id, type and props.", "input_schema": {"type": "object", "properties": {}}},
    {"name": "search_products", "description": "Search the shop's products by meaning and by"
     " words; returns up to 12 with sku, name, price and category.",
     "input_schema": {"type": "object", "required": ["query"], "properties": {
         "query": {"type": "string", "minLength": 1, "maxLength": 200},
         "max_price": {"type": "number", "minimum": 0,
                       "description": "only products at this price or below"}}}},
    {"name": "add_block", "description": "Add a block. Its props must match the schema of its"
     " type: " + "; ".join(f"{name}: {spec['description']}" for name, spec in BLOCK_TYPES.items()),
     "input_schema": {"type": "object", "required": ["type", "props"], "properties": {
         "type": {"enum": sorted(BLOCK_TYPES)}, "props": {"type": "object"},
         "position": _POSITION}}},
    {"name": "update_block", "description": "Change some props of a block (null removes one).",
     "input_schema": {"type": "object", "required": ["block_id", "props"], "properties": {
         "block_id": _BLOCK_ID, "props": {"type": "object"}}}},
    {"name": "remove_block", "description": "Remove a block.",
     "input_schema": {"type": "object", "required": ["block_id"],
                      "properties": {"block_id": _BLOCK_ID}}},
    {"name": "move_block", "description": "Move a block to another position.",
     "input_schema": {"type": "object", "required": ["block_id", "position"], "properties": {
         "block_id": _BLOCK_ID, "position": _POSITION}}},
]
TOOL_NAMES = frozenset(tool["name"] for tool in TOOLS)
BLOCK_TOOLS = {"add_block": "add", "update_block": "update", "remove_block": "remove",
               "move_block": "move"}
"""Tools that operate on the blocks -> the builder's operation."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ToolCall:
    id: str
    name: str
    input: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ToolResult:
    call_id: str
    content: Any
    """What the tool found or did (JSON-able), or the error in words when `is_error`."""
    is_error: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class AgentTurn:
    text: str = ""
    calls: tuple[ToolCall, ...] = ()

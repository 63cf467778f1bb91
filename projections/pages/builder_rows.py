"""The page builder's operations in the PageDesigns read model: the page's blocks after each
(`rm_pages.landing_pages.blocks`, and `product_skus`: every SKU its product grids show) and
the page's history of operations (`rm_pages.landing_page_edits`, by log position)."""

import json
from typing import Any

from domain.log import RecordedEvent
from domain.pages import events as e
from projections.writes import Writes

TOPICS = frozenset({e.LandingPageBlocksEdited.topic()})

_BLOCKS = (
    "UPDATE landing_pages SET blocks = %s::jsonb, product_skus = %s, updated_at = %s"
    " WHERE org_id = %s AND number = %s"
)
_EDIT = (
    "INSERT INTO landing_page_edits (org_id, number, position, operation, block_id, block_type,"
    " actor, user_id, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def grid_skus(blocks: tuple[dict[str, Any], ...]) -> list[str]:
    skus = [sku for block in blocks if block.get("type") == "product_grid"
            for sku in block.get("props", {}).get("product_skus", [])]
    return list(dict.fromkeys(skus))


def apply_block_edit(writes: Writes, record: RecordedEvent) -> None:
    event = record.event
    if not isinstance(event, e.LandingPageBlocksEdited):
        return
    writes.add(_BLOCKS, (json.dumps(list(event.blocks)), grid_skus(event.blocks),
                         event.occurred_at, event.org_id, event.number))
    block_type = event.block.get("type") if event.block else None
    writes.add(_EDIT, (event.org_id, event.number, record.position, event.operation,
                       event.block_id, block_type, event.actor, event.user_id, event.occurred_at))


def forget_page_edits(writes: Writes, org_id: Any, number: int) -> None:
    writes.add("DELETE FROM landing_page_edits WHERE org_id = %s AND number = %s",
               (org_id, number))

"""`GET /api/v1/ai-pages/blocks` (≡ `/api/ai-pages/blocks/`): the block types a page is made
of, each with the JSON Schema its props are checked against."""

from typing import Any

import msgspec
from litestar import get

from api.auth import AUTHENTICATED, Caller
from domain.pages.blocks import BLOCK_TYPES


class BlockType(msgspec.Struct):
    type: str
    description: str
    schema: dict[str, Any]


@get("/api/v1/ai-pages/blocks", operation_id="list_block_types", tags=["pages"],
     summary="Block registry", dependencies=AUTHENTICATED, sync_to_thread=False)
def list_block_types(principal: Caller) -> list[BlockType]:
    """The six block types (hero, product_grid, text_section, cta_banner, feature_list,
    testimonial) with the JSON Schema of their props."""
    return [BlockType(type=name, description=spec["description"], schema=spec["schema"])
            for name, spec in BLOCK_TYPES.items()]


ROUTES = [list_block_types]

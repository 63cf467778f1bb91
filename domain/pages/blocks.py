"""The six block types a page is made of, each with the JSON Schema of its props.

Blocks are `{"type": ..., "props": {...}}` (an optional `id` names a block for the builder's
operations). The schemas are data here; validating against them is a JSON Schema library's
work (`adapters.block_schemas`), wherever a block comes from.
"""

from typing import Any

MAX_BLOCKS = 100
_SHORT = {"type": "string", "minLength": 1, "maxLength": 200}
_URL = {"type": "string", "minLength": 1, "maxLength": 2000,
        "pattern": r"^(https?://|/)[^\s<>\"]*$"}
_SKUS = {"type": "array", "maxItems": 100,
         "items": {"type": "string", "minLength": 1, "maxLength": 100}}


def _props(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": properties, "required": required, "additionalProperties": False}


BLOCK_TYPES: dict[str, dict[str, Any]] = {
    "hero": {
        "description": "A headline with an optional subheadline, image and call to action.",
        "schema": _props({
            "headline": _SHORT,
            "subheadline": {"type": "string", "maxLength": 400},
            "image_url": _URL,
            "cta_text": {"type": "string", "minLength": 1, "maxLength": 60},
            "cta_url": _URL,
        }, ["headline"]),
    },
    "product_grid": {
        "description": "Products by SKU, in a grid of 1 to 6 columns.",
        "schema": _props({
            "title": {"type": "string", "maxLength": 200},
            "product_skus": _SKUS,
            "columns": {"type": "integer", "minimum": 1, "maximum": 6},
            "show_prices": {"type": "boolean"},
        }, ["product_skus"]),
    },
    "text_section": {
        "description": "A heading and paragraphs of text (plain text or limited HTML).",
        "schema": _props({
            "heading": {"type": "string", "maxLength": 200},
            "body": {"type": "string", "minLength": 1, "maxLength": 20_000},
        }, ["body"]),
    },
    "cta_banner": {
        "description": "A line of text and a button.",
        "schema": _props({
            "text": {"type": "string", "minLength": 1, "maxLength": 300},
            "button_text": {"type": "string", "minLength": 1, "maxLength": 60},
            "button_url": _URL,
            "style": {"enum": ["primary", "secondary"]},
        }, ["text", "button_text", "button_url"]),
    },
    "feature_list": {
        "description": "One to twenty features, each a title with an optional description.",
        "schema": _props({
            "title": {"type": "string", "maxLength": 200},
            "features": {"type": "array", "minItems": 1, "maxItems": 20, "items": {
                "type": "object", "additionalProperties": False, "required": ["title"],
                "properties": {"title": _SHORT,
                               "description": {"type": "string", "maxLength": 1000},
                               "icon": {"type": "string", "maxLength": 60}}}},
        }, ["features"]),
    },
    "testimonial": {
        "description": "A customer's quote with their name.",
        "schema": _props({
            "quote": {"type": "string", "minLength": 1, "maxLength": 1000},
            "author": {"type": "string", "minLength": 1, "maxLength": 120},
            "role": {"type": "string", "maxLength": 120},
            "avatar_url": _URL,
        }, ["quote", "author"]),
    },
}

BLOCK = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "properties": {"type": {"enum": sorted(BLOCK_TYPES)}, "props": {"type": "object"},
                   "id": {"type": "string", "minLength": 1, "maxLength": 64}},
    "required": ["type", "props"], "additionalProperties": False,
}
"""The envelope every block has; its props are then checked by its type's schema."""

"""A product as read from a store export, in copydesk's own terms (whatever the platform)."""

import dataclasses
from collections.abc import Mapping
from typing import Any

PLATFORMS = ("woocommerce", "shopify", "magento2")

ITEM_TYPES = ("simple", "parent", "variant")
"""`parent`: a product with variants (Shopify product with variants, WooCommerce `variable`,
Magento `configurable`); `variant`: one of its children; `simple`: neither."""

CANONICAL_FIELDS = (
    "sku", "name", "description", "short_description", "price", "categories", "brand",
    "attributes", "images", "weight", "url_key", "meta_title", "meta_description",
)
"""Keys `source_data` may carry; `attributes` is a mapping of attribute name to value,
`categories` and `images` are lists of strings, every other one a string."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductRecord:
    external_id: str
    """Stable key within its source: the SKU, or the Shopify handle (+ variant SKU)."""
    item_type: str
    parent_external_id: str | None
    name: str
    source_data: Mapping[str, Any]
    """Canonical fields (see CANONICAL_FIELDS) plus `platform_fields`: the row's other columns."""
    line: int
    """The file line where the product's row (or element) starts, for error messages."""

"""Where generated copy goes in each platform's file, and which row of a product takes it."""

from collections.abc import Callable, Mapping

from adapters.catalog_files import magento, shopify, woocommerce

TEXT_COLUMNS: dict[str, dict[str, str]] = {
    "shopify": shopify.TEXT_COLUMNS, "woocommerce": woocommerce.TEXT_COLUMNS,
    "magento2": magento.TEXT_COLUMNS}
"""platform → GeneratedTexts field → the platform column it is written to."""

HTML_FIELDS = frozenset({"long_description", "short_description"})

Cell = Callable[[str], str]
"""A row's value under one of the platform's column names ("" when absent)."""


def row_key(platform: str) -> Callable[[Cell], str | None]:
    """A function telling, row by row, the external_id whose copy that row takes (None: none).

    Shopify: only the first row of a product (its Title/Body/SEO); WooCommerce: every product
    and variation row; Magento: the default store view's row (other views keep their own text).
    """
    if platform == "shopify":
        previous = [""]

        def shopify_key(cell: Cell) -> str | None:
            handle = cell("Handle").strip()
            first, previous[0] = handle != previous[0], handle
            return handle if first else None
        return shopify_key
    if platform == "woocommerce":
        return lambda cell: woocommerce.external_id(cell("SKU"), cell("ID")) or None
    return lambda cell: None if cell("store_view_code") else cell("sku").strip() or None


def updates_for(platform: str, texts: Mapping[str, str]) -> dict[str, str]:
    """Platform column → new value, for the non-empty generated fields."""
    columns = TEXT_COLUMNS[platform]
    return {columns[field]: value for field, value in texts.items() if value and field in columns}


def encodable(value: str, column_field: str, encoding: str) -> str:
    """`value` as the file's encoding can hold it: HTML gets character references, plain text `?`."""
    if encoding.startswith("utf"):
        return value
    errors = "xmlcharrefreplace" if column_field in HTML_FIELDS else "replace"
    return value.encode(encoding, errors).decode(encoding)

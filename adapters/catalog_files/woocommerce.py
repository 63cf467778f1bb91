"""WooCommerce product CSV exports (Products → Export) as records.

One row per product or variation. `Type` may carry flags (`simple, virtual`); `variable` is a
parent, `variation` a variant naming its parent in `Parent` (the parent's SKU, or `id:123` for
the row whose `ID` is 123); grouped and external products are simple. A product's
external_id is its SKU, or `id:<ID>` when it has none. Lists (categories, images, attribute
values) are comma-separated with `\\,` for a comma inside an item.
"""

import re
from collections.abc import Callable, Iterator

from adapters.catalog_files.columns import Column, Layout, PlatformColumns
from adapters.catalog_files.table import Table
from adapters.catalog_files.values import Memo, category_path, source_data, split_escaped_list
from domain.catalog.records import ProductRecord
from domain.errors import MalformedInputError

_ATTRIBUTE = re.compile(
    r"^\s*attribute[\s_-]*(\d+)[\s_-]*(name|value\(s\)|values?|visible|global|default)\s*$", re.I)


def _attribute_column(header: str) -> Column | None:
    match = _ATTRIBUTE.match(header)
    if match is None:
        return None
    number, part = match.group(1), match.group(2).lower()
    if part == "name":
        return Column(f"Attribute {number} name", "attributes")
    if part.startswith("value"):
        return Column(f"Attribute {number} value(s)", "attributes")
    return Column(f"Attribute {number} {part}")


WOOCOMMERCE = PlatformColumns("woocommerce", (
    Column("ID", aliases=("Product ID",)),
    Column("Type", aliases=("Product type",)),
    Column("SKU", "sku"),
    Column("Name", "name", aliases=("Product name", "Title")),
    Column("Short description", "short_description", aliases=("Excerpt",)),
    Column("Description", "description", aliases=("Content",)),
    Column("Regular price", "price", aliases=("Price",)),
    Column("Categories", "categories", aliases=("Product categories",)),
    Column("Images", "images", aliases=("Image URL", "Image")),
    Column("Parent", aliases=("Parent SKU",)),
    Column("Published"), Column("Is featured?"), Column("Visibility in catalog"), Column("Sale price"),
    Column("Tags"), Column("In stock?"), Column("Stock"), Column("Tax status"), Column("Tax class"),
    Column("Grouped products"), Column("Upsells"), Column("Cross-sells"), Column("External URL"),
    Column("Button text"), Column("Position"), Column("GTIN, UPC, EAN, or ISBN"),
    Column("Slug", "url_key", aliases=("post_name", "URL key")),
    Column("Brands", "brand", aliases=("Brand",)),
    Column("Weight (kg)", "weight", aliases=("Weight (lbs)", "Weight (g)", "Weight (oz)", "Weight")),
    Column("Meta: _yoast_wpseo_title", "meta_title", aliases=("Meta: rank_math_title",)),
    Column("Meta: _yoast_wpseo_metadesc", "meta_description", aliases=("Meta: rank_math_description",)),
), required=(("Type",), ("SKU", "ID"), ("Name",)), pattern=_attribute_column)

TEXT_COLUMNS = {"name": "Name", "short_description": "Short description",
                "long_description": "Description", "meta_title": "Meta: _yoast_wpseo_title",
                "meta_description": "Meta: _yoast_wpseo_metadesc"}
"""GeneratedTexts field → the WooCommerce column it is written to (when the file has it)."""

_ITEM_TYPES = {"variable": "parent", "variation": "variant"}


def product_kind(type_cell: str) -> str:
    """`variable` of `variable, virtual`; "simple" when the cell is empty."""
    return type_cell.split(",", 1)[0].strip().lower() or "simple"


def external_id(sku: str, product_id: str) -> str:
    return sku.strip() or (f"id:{product_id.strip()}" if product_id.strip() else "")


def parent_ids(table: Table, layout: Layout) -> dict[str, str]:
    """ID → SKU of every variable product that has both (for `Parent` cells written `id:N`)."""
    id_of, sku_of, type_of = layout.getter("ID"), layout.getter("SKU"), layout.getter("Type")
    found: dict[str, str] = {}
    for _line, row in table.rows:
        layout.refresh()
        if product_kind(type_of(row)) == "variable" and id_of(row).strip() and sku_of(row).strip():
            found[id_of(row).strip()] = sku_of(row).strip()
    return found


_READ = ("ID", "SKU", "Type", "Parent", "Name", "Description", "Short description", "Regular price",
         "Categories", "Brands", "Images", "Weight (kg)", "Slug", "Meta: _yoast_wpseo_title",
         "Meta: _yoast_wpseo_metadesc")


def read_woocommerce(table: Table, layout: Layout,
                     all_parent_ids: Callable[[], dict[str, str]]) -> Iterator[ProductRecord]:
    """`all_parent_ids` is asked (once) only when a variation names a parent not read yet."""
    fetch = layout.fetcher(_READ)
    seen_parents: dict[str, str] = {}
    everyone: dict[str, str] | None = None
    attributes_of = _attributes_reader(layout)
    paths = Memo(lambda cell: [category_path(p, " > ") for p in split_escaped_list(cell)])
    for line, row in table.rows:
        if layout.refresh():
            attributes_of = _attributes_reader(layout)
        (product_id, sku, type_cell, reference, name, description, short_description, price, categories,
         brand, images, weight, slug, meta_title, meta_description) = fetch(row)
        kind = product_kind(type_cell)
        key = external_id(sku, product_id)
        if not key:
            raise MalformedInputError(f"line {line}: a product without a SKU or an ID")
        parent = None
        if kind == "variable" and product_id.strip():
            seen_parents[product_id.strip()] = key
        elif kind == "variation":
            reference = reference.strip()
            if not reference:
                raise MalformedInputError(f"line {line}, column 'Parent': variation {key!r} names no parent")
            if reference.startswith("id:"):
                number = reference[3:].strip()
                if number not in seen_parents and everyone is None:
                    everyone = all_parent_ids()
                parent = seen_parents.get(number) or (everyone or {}).get(number) or f"id:{number}"
            else:
                parent = reference
        attributes = attributes_of(row)
        canonical = {
            "sku": sku.strip(), "name": name, "description": description,
            "short_description": short_description, "price": price, "categories": [*paths[categories]],
            "brand": brand or attributes.get("Brand", ""), "attributes": attributes,
            "images": split_escaped_list(images), "weight": weight,
            "url_key": slug, "meta_title": meta_title, "meta_description": meta_description,
        }
        extras = [(field, header, row[i]) for field, i, header in layout.extras]
        yield ProductRecord(
            external_id=key, item_type=_ITEM_TYPES.get(kind, "simple"), parent_external_id=parent,
            name=name, line=line, source_data=source_data(canonical, layout.platform_fields(row), extras))


def _attributes_reader(layout: Layout) -> Callable[[list[str]], dict[str, str]]:
    pairs = []
    for name, position in layout.index.items():
        match = _ATTRIBUTE.match(name)
        if match and match.group(2) == "name":
            value = layout.index.get(f"Attribute {match.group(1)} value(s)")
            if value is not None:
                pairs.append((position, value))

    def attributes(row: list[str]) -> dict[str, str]:
        found = {}
        for name_at, value_at in pairs:
            name, value = row[name_at].strip(), row[value_at]
            if name and value:
                found[name] = value.strip() if "\\," not in value else ", ".join(split_escaped_list(value))
        return found
    return attributes

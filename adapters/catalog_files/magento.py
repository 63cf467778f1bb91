"""Magento 2 product exports (System → Export → Products) as records.

One row per product and store view. The default row (empty `store_view_code`) is the product;
rows of other store views hold that view's translations and are ignored when reading (and left
untouched when writing). A `configurable` row is a parent; its children are named in its
`configurable_variations` (`sku=X,color=Black,size=XS|sku=Y,…`), and Magento writes the
children BEFORE their parent, so the reader takes the child → parent links from a first pass
over the file (only that mapping is kept in memory: one entry per child).
"""

import re
from collections.abc import Iterator, Mapping

from adapters.catalog_files.columns import Column, Layout, PlatformColumns
from adapters.catalog_files.table import Table
from adapters.catalog_files.values import Memo, category_path, parse_pairs, source_data, split_list, unique
from domain.catalog.records import ProductRecord
from domain.errors import MalformedInputError

MAGENTO = PlatformColumns("magento2", (
    Column("sku", "sku"),
    Column("store_view_code"),
    Column("attribute_set_code"),
    Column("product_type", aliases=("type_id",)),
    Column("categories", "categories"),
    Column("name", "name"),
    Column("description", "description"),
    Column("short_description", "short_description"),
    Column("weight", "weight"),
    Column("price", "price"),
    Column("url_key", "url_key"),
    Column("meta_title", "meta_title"),
    Column("meta_description", "meta_description"),
    Column("base_image", "images"),
    Column("small_image", "images"),
    Column("thumbnail_image", "images"),
    Column("additional_images", "images"),
    Column("additional_attributes", "attributes"),
    Column("configurable_variations"),
    Column("product_websites"), Column("visibility"), Column("tax_class_name"), Column("product_online"),
    Column("meta_keywords"), Column("special_price"), Column("qty"), Column("is_in_stock"),
    Column("configurable_variation_labels"),
), required=(("sku",), ("product_type",)))

TEXT_COLUMNS = {"name": "name", "short_description": "short_description",
                "long_description": "description", "meta_title": "meta_title",
                "meta_description": "meta_description"}
"""GeneratedTexts field → the Magento column it is written to."""


_CHILD_SKU = re.compile(r"(?:^|\|)\s*sku=([^,|]+)")


def variation_links(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(child sku, its variation attributes) for each entry of `configurable_variations`."""
    for entry in text.split("|"):
        pairs = parse_pairs(entry)
        sku = pairs.pop("sku", "").strip()
        if sku:
            yield sku, pairs


def child_parents(table: Table, layout: Layout) -> dict[str, str]:
    """Child sku → parent sku, from every configurable row (the first parent wins)."""
    sku_of, type_of = layout.getter("sku"), layout.getter("product_type")
    view_of, variations_of = layout.getter("store_view_code"), layout.getter("configurable_variations")
    links: dict[str, str] = {}
    for _line, row in table.rows:
        layout.refresh()
        variations = variations_of(row)  # empty on most rows: the cheapest test first
        if not variations or view_of(row) or type_of(row).strip().lower() != "configurable":
            continue
        parent = sku_of(row).strip()
        for child in _CHILD_SKU.findall(variations):
            links.setdefault(child.strip(), parent)
    return links


_READ = ("sku", "store_view_code", "product_type", "name", "description", "short_description", "price",
         "categories", "additional_attributes", "configurable_variations", "base_image", "small_image",
         "thumbnail_image", "additional_images", "weight", "url_key", "meta_title", "meta_description")


def read_magento(table: Table, layout: Layout, parents: Mapping[str, str]) -> Iterator[ProductRecord]:
    fetch = layout.fetcher(_READ)
    paths = Memo(lambda cell: unique(category_path(p, "/") for p in cell.split("|")))
    for line, row in table.rows:
        layout.refresh()
        (sku, view, product_type, name, description, short_description, price, categories, additional,
         variations, base_image, small_image, thumbnail, more_images, weight, url_key, meta_title,
         meta_description) = fetch(row)
        if view:
            continue
        sku = sku.strip()
        if not sku:
            raise MalformedInputError(f"line {line}, column 'sku': a product without a sku")
        configurable = product_type.strip().lower() == "configurable"
        parent = None if configurable else parents.get(sku)
        attributes = parse_pairs(additional)
        attributes.pop("has_options", None)
        attributes.pop("required_options", None)
        if configurable:
            attributes.update(_variation_values(variations))
        canonical = {
            "sku": sku, "name": name, "description": description, "short_description": short_description,
            "price": price, "categories": [*paths[categories]],
            "brand": attributes.get("manufacturer") or attributes.get("brand", ""), "attributes": attributes,
            "images": unique([base_image, small_image, thumbnail, *split_list(more_images)]),
            "weight": weight, "url_key": url_key, "meta_title": meta_title,
            "meta_description": meta_description,
        }
        extras = [(field, header, row[i]) for field, i, header in layout.extras]
        yield ProductRecord(
            external_id=sku, item_type="parent" if configurable else "variant" if parent else "simple",
            parent_external_id=parent, name=name, line=line,
            source_data=source_data(canonical, layout.platform_fields(row), extras))


def _variation_values(text: str) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for _sku, attributes in variation_links(text):
        for key, value in attributes.items():
            values.setdefault(key, []).append(value)
    return {key: ", ".join(unique(found)) for key, found in values.items()}

"""Shopify product CSV exports as records.

Rows of one product share `Handle` and are consecutive: the first carries the product
(Title, Body, Vendor, Tags, SEO…) and its first variant; each further variant has a row of its
own; rows with only an image add images. The reader groups consecutive rows, so it holds one
product at a time. A product whose single variant is Shopify's default (`Title` /
`Default Title`) is `simple`; otherwise it is a `parent` (external_id = handle) followed by
its `variant`s (external_id = variant SKU, or `handle:n` for the n-th variant without one).
"""

from collections.abc import Callable, Iterator
from itertools import compress
from operator import itemgetter
from typing import Any, NamedTuple

from adapters.catalog_files.columns import Column, Layout, PlatformColumns
from adapters.catalog_files.table import Table
from adapters.catalog_files.values import source_data, unique
from domain.catalog.records import ProductRecord
from domain.errors import MalformedInputError

SHOPIFY = PlatformColumns("shopify", (
    Column("Handle", "url_key", aliases=("URL handle",), kept=True),
    Column("Title", "name"),
    Column("Body (HTML)", "description", aliases=("Description", "Body")),
    Column("Vendor", "brand"),
    Column("Product Category", "categories", aliases=("Product category",)),
    Column("Option1 Name", "attributes"), Column("Option1 Value", "attributes"),
    Column("Option2 Name", "attributes"), Column("Option2 Value", "attributes"),
    Column("Option3 Name", "attributes"), Column("Option3 Value", "attributes"),
    Column("Variant SKU", "sku", aliases=("SKU",)),
    Column("Variant Grams", "weight", aliases=("Weight value (grams)",)),
    Column("Variant Price", "price", aliases=("Price",)),
    Column("Image Src", "images", aliases=("Product image URL", "Image URL")),
    Column("Variant Image", "images", aliases=("Variant image URL",)),
    Column("SEO Title", "meta_title"),
    Column("SEO Description", "meta_description"),
    Column("Type"), Column("Tags"), Column("Published", aliases=("Published on online store",)),
    Column("Status"), Column("Gift Card"), Column("Image Position"), Column("Image Alt Text"),
    Column("Variant Compare At Price", aliases=("Compare-at price",)),
    Column("Variant Barcode", aliases=("Barcode",)),
    Column("Variant Inventory Qty", aliases=("Inventory quantity",)),
    Column("Variant Inventory Tracker", aliases=("Inventory tracker",)),
    Column("Variant Inventory Policy", aliases=("Continue selling when out of stock",)),
    Column("Variant Fulfillment Service", aliases=("Fulfillment service",)),
    Column("Variant Requires Shipping", aliases=("Requires shipping",)),
    Column("Variant Taxable", aliases=("Charge tax",)),
    Column("Variant Weight Unit", aliases=("Weight unit for display",)),
    Column("Variant Tax Code", aliases=("Tax code",)),
), required=(("Handle",),))

TEXT_COLUMNS = {"name": "Title", "long_description": "Body (HTML)", "meta_title": "SEO Title",
                "meta_description": "SEO Description"}
"""GeneratedTexts field → the Shopify column it is written to, on the product's first row."""

_DEFAULT_OPTION = ("title", "default title")


def _is_variant_column(header: str) -> bool:
    column = SHOPIFY.column(header)
    name = column.name if column is not None else header
    return name.startswith(("Variant ", "Option")) or name == "Cost per item" or name.startswith(
        ("Price /", "Compare At Price /"))


class _Row(NamedTuple):
    line: int
    cells: dict[str, str]
    """The product and variant columns the reader needs, by platform column name."""
    product_fields: dict[str, str]
    variant_fields: dict[str, str]
    extras: list[tuple[str, str, str]]

    @property
    def is_variant(self) -> bool:
        return bool(self.cells["Option1 Value"] or self.cells["Variant SKU"] or self.cells["Variant Price"])


class _RowReader:
    """Takes what a row holds at once: an XML file's columns may grow while a product is read."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.names = [c.name for c in SHOPIFY.columns if c.canonical]
        self.fetch = layout.fetcher(self.names)
        self._split()

    def _split(self) -> None:
        variant = [i for i in self.layout.others if _is_variant_column(self.layout.header[i])]
        product = [i for i in self.layout.others if i not in set(variant)]
        self.product_fields = _fields(self.layout.header, product)
        self.variant_fields = _fields(self.layout.header, variant)

    def __call__(self, line: int, row: list[str]) -> _Row:
        if self.layout.refresh():
            self._split()
        return _Row(line, dict(zip(self.names, self.fetch(row), strict=True)),
                    self.product_fields(row), self.variant_fields(row),
                    [(field, header, row[i]) for field, i, header in self.layout.extras])


def _fields(header: list[str], positions: list[int]) -> Callable[[list[str]], dict[str, str]]:
    names = [header[i] for i in positions]
    if len(positions) < 2:
        return lambda row: {k: row[i] for k, i in zip(names, positions, strict=True) if row[i]}
    cells = itemgetter(*positions)

    def fields(row: list[str]) -> dict[str, str]:
        found = cells(row)
        return dict(compress(zip(names, found, strict=True), found))
    return fields


def read_shopify(table: Table, layout: Layout) -> Iterator[ProductRecord]:
    take = _RowReader(layout)
    handle_of = layout.getter("Handle")
    group: list[_Row] = []
    current = ""
    for line, row in table.rows:
        handle = handle_of(row).strip()
        if not handle:
            raise MalformedInputError(f"line {line}, column 'Handle': a row without a handle")
        if handle != current and group:
            yield from _product(current, group)
            group = []
        current = handle
        group.append(take(line, row))
    if group:
        yield from _product(current, group)


def _product(handle: str, rows: list[_Row]) -> Iterator[ProductRecord]:
    first = rows[0].cells
    variants = [row for row in rows if row.is_variant]
    title = first["Title"] or handle
    option_names = [first[f"Option{n} Name"] for n in (1, 2, 3)]
    product: dict[str, Any] = {
        "name": title, "description": first["Body (HTML)"], "brand": first["Vendor"],
        "categories": [first["Product Category"]] if first["Product Category"] else [],
        "images": unique(r.cells[c] for r in rows for c in ("Image Src", "Variant Image")),
        "url_key": handle, "meta_title": first["SEO Title"], "meta_description": first["SEO Description"],
    }
    if len(variants) <= 1 and (not variants or _is_default(option_names, variants[0])):
        only = variants[0] if variants else rows[0]
        own: dict[str, Any] = {"sku": only.cells["Variant SKU"], "price": only.cells["Variant Price"],
                              "weight": only.cells["Variant Grams"]}
        fields = {**rows[0].product_fields, **only.variant_fields}
        yield ProductRecord(external_id=handle, item_type="simple", parent_external_id=None, name=title,
                            line=rows[0].line, source_data=source_data({**product, **own}, fields,
                                                                       rows[0].extras))
        return
    options = [_options(option_names, v) for v in variants]
    values: dict[str, list[str]] = {}
    for found in options:
        for key, value in found.items():
            values.setdefault(key, []).append(value)
    product["attributes"] = {key: ", ".join(unique(found)) for key, found in values.items()}
    product["price"] = variants[0].cells["Variant Price"]
    yield ProductRecord(external_id=handle, item_type="parent", parent_external_id=None, name=title,
                        line=rows[0].line,
                        source_data=source_data(product, rows[0].product_fields, rows[0].extras))
    for number, (variant, attributes) in enumerate(zip(variants, options, strict=True), start=1):
        cells = variant.cells
        name = f"{title} - {' / '.join(attributes.values())}" if attributes else title
        own = {"sku": cells["Variant SKU"], "name": name, "price": cells["Variant Price"],
               "weight": cells["Variant Grams"], "attributes": attributes,
               "images": [cells["Variant Image"]] if cells["Variant Image"] else []}
        yield ProductRecord(external_id=cells["Variant SKU"].strip() or f"{handle}:{number}",
                            item_type="variant", parent_external_id=handle, name=name, line=variant.line,
                            source_data=source_data(own, variant.variant_fields))


def _is_default(option_names: list[str], variant: _Row) -> bool:
    return (option_names[0].strip().lower() in ("", "title")
            and variant.cells["Option1 Value"].strip().lower() in _DEFAULT_OPTION)


def _options(names: list[str], variant: _Row) -> dict[str, str]:
    found = {}
    for number, name in enumerate(names, start=1):
        value = variant.cells[f"Option{number} Value"]
        if value:
            found[name or f"Option{number}"] = value
    return found

"""Product XML as a table: each product element a row, each child element a column.

A child's tag names its column, matched like a CSV header (`body_html` is Shopify's
`Body (HTML)`, `Variant_SKU` its `Variant SKU`). A child holding elements instead of text
(`<images><image>a.jpg</image><image>b.jpg</image></images>`) is the comma-joined list of
their texts; a tag repeated in one product likewise. HTML goes in CDATA or escaped. WordPress
exports (WXR) are read as WooCommerce rows (see `wxr`).
"""

from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

from adapters.catalog_files.columns import PlatformColumns
from adapters.catalog_files.table import Table
from adapters.catalog_files.wxr import wxr_columns
from adapters.catalog_files.xml_scan import XmlField, XmlRow, local_name, scan_rows


def field_value(field: XmlField) -> str:
    if field.children:
        return ",".join(text.strip() for _tag, text in field.children if text.strip())
    return field.text.strip()


def row_columns(row: XmlRow, spec: PlatformColumns,
                layout: str) -> dict[str, tuple[str, XmlField | None]] | None:
    """Column name → (value, the element holding it, if one does) of one product element; None
    for an element that is not a product (a WXR page, say)."""
    if layout == "wxr":
        return wxr_columns(row)
    found: dict[str, tuple[str, XmlField | None]] = {}
    for field in row.fields:
        tag = local_name(field.tag)
        column = spec.column(tag)
        name = column.name if column is not None else tag
        value = field_value(field)
        if name in found:
            earlier = found[name][0]
            value = f"{earlier},{value}" if earlier and value else earlier or value
            found[name] = (value, None)
        else:
            found[name] = (value, field)
    return found


def open_xml(stream: BinaryIO, spec: PlatformColumns, *, max_bytes: int | None = None) -> Table:
    """A table whose header starts with every column of `spec` and grows with the unknown tags met.

    The first product is read now, so a refused or broken prologue fails here."""
    header = [column.name for column in spec.columns]
    scanner, rows = scan_rows(stream, max_bytes=max_bytes)
    first = next(rows, None)
    table = Table(header, iter(()), "xml")

    def cells() -> Iterator[tuple[int, list[str]]]:
        for row in chain(() if first is None else (first,), rows):
            columns = row_columns(row, spec, scanner.layout)
            if columns is None:
                continue
            values = {name: value for name, (value, _field) in columns.items()}
            cells = [values.pop(name, "") for name in header]
            for name, value in values.items():
                header.append(name)
                cells.append(value)
            yield row.line, cells
    table.rows = cells()
    table.kind = f"xml:{scanner.layout}"
    return table

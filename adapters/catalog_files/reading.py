"""`read_catalog`: a store's product export (CSV or XML) as a stream of ProductRecords."""

from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

from adapters.catalog_files.columns import Layout, PlatformColumns
from adapters.catalog_files.magento import MAGENTO, child_parents, read_magento
from adapters.catalog_files.shopify import SHOPIFY, read_shopify
from adapters.catalog_files.sources import seekable, table_opener
from adapters.catalog_files.table import Table
from adapters.catalog_files.woocommerce import WOOCOMMERCE, parent_ids, read_woocommerce
from domain.catalog.records import PLATFORMS, ProductRecord
from domain.errors import InvalidCommandError

SPECS: dict[str, PlatformColumns] = {"shopify": SHOPIFY, "woocommerce": WOOCOMMERCE, "magento2": MAGENTO}


def platform_spec(platform: str) -> PlatformColumns:
    spec = SPECS.get(platform)
    if spec is None:
        raise InvalidCommandError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")
    return spec


def read_catalog(platform: str, stream: BinaryIO, *, filename: str = "",
                 column_mapping: Mapping[str, str] | None = None,
                 max_bytes: int | None = None, link_variants: bool = True) -> Iterator[ProductRecord]:
    """The products of a `platform` export, one record at a time, in file order.

    Memory stays bounded whatever the file's size: rows are decoded and parsed as they are
    consumed. The platform, the size limit and the header are checked before this returns
    (InvalidCommandError, TooLargeError, MalformedInputError); a broken row raises
    MalformedInputError (naming its line) when it is reached, so a caller must treat the
    records already received as void. A stream that cannot seek is first copied to a
    temporary file (a second pass links Magento children to their parents, and names the
    column of a broken CSV field). `link_variants=False` leaves Magento children without
    their parents, sparing that pass (for a check of the file's first products).
    """
    spec = platform_spec(platform)
    source = seekable(stream, max_bytes)
    open_table = table_opener(source, filename, spec, max_bytes)
    table = open_table()
    layout = Layout(spec, table.header, column_mapping)
    if table.kind == "csv":
        layout.check_required()
    records = _records(platform, source, open_table, table, layout, column_mapping, link_variants)
    return _closing(records, source if source is not stream else None)


def _records(platform: str, source: BinaryIO, open_table: Callable[[], Table], table: Table,
             layout: Layout, column_mapping: Mapping[str, str] | None,
             link_variants: bool) -> Iterator[ProductRecord]:
    if platform == "shopify":
        return read_shopify(table, layout)
    if platform == "woocommerce":
        def all_parent_ids() -> dict[str, str]:
            reading_at = source.tell()
            try:
                again = open_table()
                return parent_ids(again, Layout(WOOCOMMERCE, again.header, column_mapping))
            finally:
                source.seek(reading_at)
        return read_woocommerce(table, layout, all_parent_ids)
    parents: dict[str, str] = {}
    if link_variants and layout.has("configurable_variations"):
        parents = child_parents(table, layout)
        table = open_table()
        layout = Layout(MAGENTO, table.header, column_mapping)
    return read_magento(table, layout, parents)


def _closing(records: Iterator[ProductRecord], copy: BinaryIO | None) -> Iterator[ProductRecord]:
    try:
        yield from records
    finally:
        if copy is not None:
            copy.close()

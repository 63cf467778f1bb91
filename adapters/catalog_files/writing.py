"""`write_export`: the original export file again, with generated copy in the platform's own columns."""

from collections.abc import Mapping
from typing import BinaryIO

from adapters.catalog_files.export_csv import write_csv_export
from adapters.catalog_files.export_xml import write_xml_export
from adapters.catalog_files.reading import platform_spec
from adapters.catalog_files.sources import file_format, seekable


def write_export(platform: str, original: BinaryIO, out: BinaryIO, *, filename: str,
                 generated: Mapping[str, Mapping[str, str]]) -> int:
    """Stream `original` (a `platform` export, CSV or XML) to `out` with the copy in `generated`
    (external_id → GeneratedTexts field → text) merged in; the number of products updated.

    Shopify takes Title, Body (HTML), SEO Title and SEO Description on a product's first row;
    WooCommerce Name, Short description and Description (and Yoast's title and description
    metas when the file has those columns); Magento name, short_description, description,
    meta_title and meta_description on the default store view's row. An empty text leaves the
    original. Everything else (other columns and rows, encoding, BOM, line endings) is
    written back as it was, so the store can import the result.
    """
    spec = platform_spec(platform)
    source = seekable(original, None)
    try:
        if file_format(source, filename) == "xml":
            return write_xml_export(platform, spec, source, out, generated)
        return write_csv_export(platform, spec, source, out, generated)
    finally:
        if source is not original:
            source.close()

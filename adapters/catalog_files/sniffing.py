"""The header and first rows of a file, for column detection before an import."""

from typing import BinaryIO

from adapters.catalog_files.csv_table import open_csv
from adapters.catalog_files.sources import file_format
from adapters.catalog_files.wxr import wxr_columns
from adapters.catalog_files.xml_scan import local_name, scan_rows
from adapters.catalog_files.xml_table import field_value

SAMPLE_ROWS = 20


def sniff_headers(stream: BinaryIO, filename: str) -> tuple[list[str], list[list[str]]]:
    """The file's headers and up to 20 rows under them (CSV or XML; for XML the headers are the
    product elements' child tags, or WooCommerce columns for a WordPress export). Only the
    start of the file is read; errors there raise MalformedInputError as `read_catalog` would."""
    if file_format(stream, filename) == "csv":
        table = open_csv(stream)[0]
        rows = [cells for _count, (_line, cells) in zip(range(SAMPLE_ROWS), table.rows, strict=False)]
        return table.header, rows
    scanner, elements = scan_rows(stream)
    found: list[dict[str, str]] = []
    for element in elements:
        if scanner.layout == "wxr":
            columns = wxr_columns(element)
            if columns is None:
                continue
            found.append({name: value for name, (value, _field) in columns.items()})
        else:
            found.append({local_name(f.tag): field_value(f) for f in element.fields})
        if len(found) == SAMPLE_ROWS:
            break
    header = list(dict.fromkeys(name for row in found for name in row))
    return header, [[row.get(name, "") for name in header] for row in found]

"""Generated copy written into a platform's own CSV: the original streamed through, record by record."""

import csv
from collections.abc import Iterator, Mapping
from functools import partial
from itertools import chain
from typing import BinaryIO

from adapters.catalog_files.columns import Layout, PlatformColumns
from adapters.catalog_files.copy_targets import TEXT_COLUMNS, encodable, row_key
from adapters.catalog_files.csv_splice import splice_record
from adapters.catalog_files.csv_table import sniff_delimiter
from adapters.catalog_files.decoding import DecodedLines, guess_encoding
from domain.errors import MalformedInputError


def write_csv_export(platform: str, spec: PlatformColumns, source: BinaryIO, out: BinaryIO,
                     generated: Mapping[str, Mapping[str, str]]) -> int:
    """Copy `source` to `out`, generated copy merged; the number of products updated.

    The BOM, the encoding, the delimiter, the line endings and every untouched field keep
    their bytes; only the fields receiving copy are rewritten.
    """
    start = source.tell()
    bom, encoding = guess_encoding(source)
    source.seek(start)
    pending: list[str] = []
    lines = _kept(iter(DecodedLines(source)), pending)
    first = next(lines, None)
    if first is None:
        raise MalformedInputError("the file is empty")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(chain((first,), lines), delimiter=delimiter, strict=True)
    out.write(bom)
    updated: set[str] = set()
    try:
        header = [name.strip() for name in next(reader)]
        layout = Layout(spec, header)
        layout.check_required()
        out.write(_take(pending).encode(encoding))
        targets = {field: layout.index[column] for field, column in TEXT_COLUMNS[platform].items()
                   if column in layout.index}
        key_of = row_key(platform)
        for row in reader:
            raw = _take(pending)
            if row:
                if len(row) < len(header):
                    raise MalformedInputError(
                        f"line {reader.line_num}: expected {len(header)} columns, found {len(row)}")
                key = key_of(partial(_cell, layout.index, row))
                texts = generated.get(key, {}) if key is not None else {}
                changes = {targets[field]: encodable(value, field, encoding)
                           for field, value in texts.items() if value and field in targets}
                if changes:
                    raw = splice_record(raw, row, changes, delimiter)
                    updated.add(key or "")
            out.write(raw.encode(encoding))
    except csv.Error as exc:
        raise MalformedInputError(f"line {reader.line_num}: {exc}") from None
    out.write(_take(pending).encode(encoding))
    return len(updated)


def _cell(index: Mapping[str, int], row: list[str], name: str) -> str:
    return row[index[name]] if name in index else ""


def _kept(lines: Iterator[str], pending: list[str]) -> Iterator[str]:
    """The lines, each also kept in `pending` until the record it belongs to is written."""
    for line in lines:
        pending.append(line)
        yield line


def _take(pending: list[str]) -> str:
    text = "".join(pending)
    pending.clear()
    return text

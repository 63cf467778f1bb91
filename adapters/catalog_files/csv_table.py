"""CSV files as tables: delimiter sniffed from the header line, every error naming its line."""

import csv
from collections.abc import Callable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, BinaryIO

from adapters.catalog_files.csv_locate import locate_bad_field
from adapters.catalog_files.decoding import DecodedLines
from adapters.catalog_files.table import Table
from domain.errors import MalformedInputError

if TYPE_CHECKING:
    import _csv

DELIMITERS = (",", ";", "\t")


def sniff_delimiter(header_line: str) -> str:
    """The candidate found most often outside quotes in the header line (`,` when none is)."""
    outside = header_line.split('"')[::2]
    counts = {d: sum(part.count(d) for part in outside) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_csv(stream: BinaryIO, *, max_bytes: int | None = None) -> tuple[Table, DecodedLines, str]:
    """The table of a CSV stream (positioned at its start), its decoder and its delimiter.

    Rows are read lazily; errors surface while iterating `rows`.
    """
    start = stream.tell() if stream.seekable() else None
    decoded = DecodedLines(stream, max_bytes=max_bytes)
    lines = iter(decoded)
    first = next(lines, None)
    if first is None or not first.strip():
        raise MalformedInputError("the file is empty" if first is None else "line 1: the header row is empty")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(chain((first,), lines), delimiter=delimiter, strict=True)
    reopen = None if start is None else _reopener(stream, start)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise _csv_error(exc, 1, [], delimiter, reopen) from None
    header = [name.strip() for name in header]
    return Table(header, _rows(reader, header, delimiter, reopen), "csv"), decoded, delimiter


def _reopener(stream: BinaryIO, start: int) -> Callable[[], Iterator[str]]:
    def reopen() -> Iterator[str]:
        stream.seek(start)
        return iter(DecodedLines(stream))
    return reopen


def _rows(reader: "_csv.Reader", header: list[str], delimiter: str,
          reopen: Callable[[], Iterator[str]] | None) -> Iterator[tuple[int, list[str]]]:
    width = len(header)
    done = reader.line_num
    try:
        for row in reader:
            line, done = done + 1, reader.line_num
            if len(row) != width:
                if not row:
                    continue
                if len(row) < width or any(row[width:]):
                    raise MalformedInputError(f"line {line}: expected {width} columns, found {len(row)}")
                del row[width:]
            yield line, row
    except csv.Error as exc:
        raise _csv_error(exc, done + 1, header, delimiter, reopen) from None


def _csv_error(exc: csv.Error, line: int, header: list[str], delimiter: str,
               reopen: Callable[[], Iterator[str]] | None) -> MalformedInputError:
    text = str(exc)
    if "NUL" in text:
        return MalformedInputError(f"line {line}: contains a NUL byte; is this a spreadsheet (.xlsx) "
                                   f"rather than a CSV file?")
    if "end of data" in text:
        problem = "unterminated quoted field"
    elif "field limit" in text:
        problem = f"a field longer than {csv.field_size_limit()} characters (an unterminated quote?)"
    elif "expected after" in text:
        problem = "a quote inside a quoted field must be doubled"
    else:
        problem = text
    where = f"line {line}"
    if reopen is not None:
        index = locate_bad_field(reopen(), line, delimiter)
        if index is not None:
            where += f", column {header[index]!r}" if index < len(header) else f", column {index + 1}"
    return MalformedInputError(f"{where}: {problem}")

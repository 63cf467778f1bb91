"""Opening an uploaded file: size limit, CSV or XML, and a seekable copy when a second pass is needed."""

import os
import tempfile
from collections.abc import Callable
from typing import BinaryIO

from adapters.catalog_files.columns import PlatformColumns
from adapters.catalog_files.csv_table import open_csv
from adapters.catalog_files.decoding import read_exactly, split_bom
from adapters.catalog_files.table import Table
from adapters.catalog_files.xml_table import open_xml
from domain.errors import MalformedInputError, TooLargeError

SPOOL_IN_MEMORY = 8 << 20
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def seekable(stream: BinaryIO, max_bytes: int | None) -> BinaryIO:
    """The stream itself when it can seek, else a copy in a temporary file (memory-bounded)."""
    if stream.seekable():
        if max_bytes is not None:
            start = stream.tell()
            size = stream.seek(0, os.SEEK_END) - start
            stream.seek(start)
            if size > max_bytes:
                raise TooLargeError(f"the file is larger than the {max_bytes} bytes allowed")
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (the reader closes it)
    copied = 0
    while chunk := stream.read(1 << 20):
        copied += len(chunk)
        if max_bytes is not None and copied > max_bytes:
            copy.close()
            raise TooLargeError(f"the file is larger than the {max_bytes} bytes allowed")
        copy.write(chunk)
    copy.seek(0)
    return copy  # type: ignore[return-value]


def file_format(stream: BinaryIO, filename: str) -> str:
    """"csv" or "xml": from the filename's extension, failing that from the first bytes."""
    start = stream.tell()
    head = read_exactly(stream, 512)
    stream.seek(start)
    if not head:
        raise MalformedInputError("the file is empty")
    if head.startswith(_SPREADSHEET_MAGIC):
        raise MalformedInputError("this is a spreadsheet (Excel) file, not CSV or XML; "
                                  "save it as CSV (UTF-8) and upload that")
    suffix = os.path.splitext(filename.lower())[1]
    if suffix == ".xml":
        return "xml"
    if suffix in _CSV_SUFFIXES:
        return "csv"
    bom, encoding = split_bom(head)
    text = head[len(bom):].decode(encoding or "latin-1", "replace")
    return "xml" if text.lstrip().startswith("<") else "csv"


def table_opener(stream: BinaryIO, filename: str, spec: PlatformColumns,
                 max_bytes: int | None) -> Callable[[], Table]:
    """A function giving a fresh table read from the file's start (call it again for another pass)."""
    start = stream.tell()
    kind = file_format(stream, filename)

    def open_table() -> Table:
        stream.seek(start)
        if kind == "xml":
            return open_xml(stream, spec, max_bytes=max_bytes)
        return open_csv(stream, max_bytes=max_bytes)[0]
    return open_table

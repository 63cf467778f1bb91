"""The one rule for CSV downloads: `Content-Type: text/csv; charset=<the file's encoding>`
(one charset), and a UTF-8 BOM at the start of every CSV copydesk writes itself, so that
spreadsheet programs read it as UTF-8. A file source's export is the store's own file given
back, so it keeps that file's encoding and its BOM, or its lack of one."""

from typing import BinaryIO

from adapters.catalog_files.decoding import guess_encoding

CSV = "text/csv"
BOM = "\ufeff"
CHARSETS = {"utf-8": "utf-8", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
            "cp1252": "windows-1252", "latin-1": "iso-8859-1"}
"""Python's names of the encodings a store file is read in → their IANA charset names."""


def charset_of(csv_file: BinaryIO) -> str:
    """The charset a CSV file is written in, decided as its import decided it."""
    _, encoding = guess_encoding(csv_file)
    return CHARSETS.get(encoding, encoding)

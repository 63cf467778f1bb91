"""Which field of a broken CSV record is to blame: only run after the csv module refused a record."""

from collections.abc import Iterator
from itertools import islice

SCAN_LIMIT = 4 << 20


def locate_bad_field(lines: Iterator[str], record_line: int, delimiter: str) -> int | None:
    """Index of the field, in the record starting at `record_line`, whose quote is never closed
    or is followed by stray text; None when the record reads fine (or is too long to scan)."""
    index = 0
    quoted_field: int | None = None
    in_quotes = after_quote = False
    scanned = 0
    for text in islice(lines, record_line - 1, None):
        scanned += len(text)
        if scanned > SCAN_LIMIT:
            return quoted_field
        i = 0
        while i < len(text):
            char = text[i]
            if in_quotes:
                if char == '"':
                    if text.startswith('"', i + 1):
                        i += 1
                    else:
                        in_quotes, after_quote = False, True
            elif char == delimiter:
                index, quoted_field, after_quote = index + 1, None, False
            elif char in "\r\n":
                return None
            elif after_quote:
                return index
            elif char == '"':
                in_quotes, quoted_field = True, index
            i += 1
    return quoted_field if in_quotes else None

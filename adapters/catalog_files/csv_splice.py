"""Replacing a few fields of one CSV record while every other byte of it stays as it was."""

import csv
import io
import re
from collections.abc import Mapping

_ENDING = re.compile(r"(\r\n|\n|\r)\Z")


def _field_pattern(delimiter: str) -> re.Pattern[str]:
    return re.compile(r'"(?:[^"]|"")*"|[^' + re.escape(delimiter) + r'"\r\n]*')


_PATTERNS = {d: _field_pattern(d) for d in (",", ";", "\t")}


def raw_fields(body: str, delimiter: str) -> list[str] | None:
    """The record's fields as written (quotes included); None if it does not split cleanly."""
    pattern = _PATTERNS.get(delimiter) or _field_pattern(delimiter)
    fields: list[str] = []
    position = 0
    while True:
        match = pattern.match(body, position)
        if match is None:  # pragma: no cover - the pattern matches the empty string
            return None
        fields.append(match.group())
        position = match.end()
        if position == len(body):
            return fields
        if body[position] != delimiter:
            return None
        position += 1
        if position == len(body):
            fields.append("")
            return fields


def quote(value: str, delimiter: str, was_quoted: bool) -> str:
    """A field as CSV writes it, quoted when the original was or the value needs it."""
    if was_quoted or any(c in value for c in (delimiter, '"', "\r", "\n")) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def splice_record(raw: str, row: list[str], updates: Mapping[int, str], delimiter: str) -> str:
    """`raw` (one record as read, line ending included) with the fields at `updates` replaced.

    Untouched fields keep their exact bytes, quoting included. A record that does not split
    back into its parsed cells is written again whole, with the same delimiter and ending.
    """
    ending_match = _ENDING.search(raw)
    ending = ending_match.group() if ending_match else ""
    body = raw[:len(raw) - len(ending)]
    fields = raw_fields(body, delimiter)
    if fields is None or len(fields) != len(row) or any(
            _unquote(field) != cell for field, cell in zip(fields, row, strict=True)):
        cells = [updates.get(i, cell) for i, cell in enumerate(row)]
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter, lineterminator=ending).writerow(cells)
        return text.getvalue()
    for index, value in updates.items():
        fields[index] = quote(value, delimiter, fields[index].startswith('"'))
    return delimiter.join(fields) + ending


def _unquote(field: str) -> str:
    if field.startswith('"'):
        return field[1:-1].replace('""', '"')
    return field

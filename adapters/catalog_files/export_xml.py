"""Generated copy written into product XML: the original bytes streamed through, with the
content of the receiving elements spliced at the offsets the parser reports.

Only a receiving element's content changes (CDATA stays CDATA); an element the product lacks
is added before the product's end tag (not in WXR, whose layout is WordPress's). Memory holds
the bytes of one product element at most, besides a chunk.
"""

import codecs
import re
from collections.abc import Mapping
from typing import BinaryIO
from xml.sax.saxutils import escape

from adapters.catalog_files.columns import PlatformColumns
from adapters.catalog_files.copy_targets import TEXT_COLUMNS, row_key
from adapters.catalog_files.decoding import read_exactly, split_bom
from adapters.catalog_files.xml_scan import CHUNK_BYTES, XmlField, XmlRow, XmlRowScanner
from adapters.catalog_files.xml_table import row_columns
from domain.errors import MalformedInputError

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_TAG_NAME = re.compile(rb"<([^\s/>]+)")
Edit = tuple[int, int, bytes]


def xml_encoding(head: bytes) -> str:
    """The document's encoding, from its BOM or its declaration (UTF-8 when neither says)."""
    bom, encoding = split_bom(head)
    if encoding is not None and encoding != "utf-8":
        raise MalformedInputError("UTF-16 XML cannot be rewritten; save the file as UTF-8")
    declared = _DECLARED.match(head[len(bom):])
    if declared is None:
        return "utf-8"
    try:
        return codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        raise MalformedInputError(f"line 1: unknown XML encoding {declared.group(1).decode()!r}") from None


def write_xml_export(platform: str, spec: PlatformColumns, source: BinaryIO, out: BinaryIO,
                     generated: Mapping[str, Mapping[str, str]]) -> int:
    start = source.tell()
    encoding = xml_encoding(read_exactly(source, 1024))
    source.seek(start)
    scanner = XmlRowScanner()
    key_of = row_key(platform)
    buffer, base, written = bytearray(), 0, 0
    updated: set[str] = set()
    while True:
        chunk = source.read(CHUNK_BYTES)
        buffer += chunk
        for row in scanner.feed(chunk):
            columns = row_columns(row, spec, scanner.layout)
            if columns is None:
                continue
            key = key_of(lambda name: columns[name][0] if name in columns else "")  # noqa: B023
            texts = generated.get(key, {}) if key is not None else {}
            edits = _edits(platform, row, columns, texts, buffer, base, encoding, scanner.layout)
            if edits:
                updated.add(key or "")
            for edit_start, edit_end, replacement in edits:
                out.write(buffer[written - base:edit_start - base])
                out.write(replacement)
                written = edit_end
        open_row = scanner.open_row_start
        flush_to = base + len(buffer) if open_row is None else max(open_row, written)
        out.write(buffer[written - base:flush_to - base])
        written = flush_to
        del buffer[:written - base]
        base = written
        if not chunk:
            return len(updated)


def _edits(platform: str, row: XmlRow, columns: Mapping[str, tuple[str, XmlField | None]],
           texts: Mapping[str, str], buffer: bytearray, base: int, encoding: str, layout: str) -> list[Edit]:
    edits: list[Edit] = []
    for field, column in TEXT_COLUMNS[platform].items():
        value = texts.get(field, "")
        if not value:
            continue
        if column in columns:
            element = columns[column][1]
            if element is not None:
                edits.append(_replace_content(buffer, base, element, value, encoding))
        elif layout == "rows":
            tag = re.sub(r"[^0-9a-z]+", "_", column.lower()).strip("_")  # read back as `column`
            added = f"<{tag}>".encode() + _text(value, encoding, False) + f"</{tag}>".encode()
            edits.append(_insertion(buffer, base, row, added))
    return sorted(edits)


def _insertion(buffer: bytearray, base: int, row: XmlRow, element: bytes) -> Edit:
    """`element` added after the product's last child, indented like it."""
    tail = bytes(buffer[max(0, row.end - base - 200):row.end - base])
    at = row.end - (len(tail) - len(tail.rstrip()))
    if not row.fields:
        return at, at, element
    last_start = row.fields[-1].start - base
    before = bytes(buffer[max(0, last_start - 200):last_start])
    indent = before[len(before.rstrip()):]
    return at, at, indent + element


def _replace_content(buffer: bytearray, base: int, element: XmlField, value: str, encoding: str) -> Edit:
    at = element.start - base
    tag_end = _start_tag_end(buffer, at)
    if buffer[tag_end - 1] == ord("/"):  # <tag/>: becomes <tag>value</tag>
        name = _TAG_NAME.match(buffer, at)
        assert name is not None
        opening = bytes(buffer[at:tag_end - 1]).rstrip() + b">"
        closing = b"</" + name.group(1) + b">"
        return element.start, element.end, opening + _text(value, encoding, False) + closing
    cdata = buffer.startswith(b"<![CDATA[", tag_end + 1)
    return base + tag_end + 1, element.end, _text(value, encoding, cdata)


def _start_tag_end(buffer: bytearray, at: int) -> int:
    """Index of the `>` closing the start tag at `at` (a `>` inside an attribute value skipped)."""
    quote = 0
    for index in range(at, len(buffer)):
        byte = buffer[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index
    raise MalformedInputError("an element's start tag has no end")  # pragma: no cover - expat saw it


def _text(value: str, encoding: str, cdata: bool) -> bytes:
    if cdata:
        try:
            return b"<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>").encode(encoding) + b"]]>"
        except UnicodeEncodeError:
            pass
    return escape(value).encode(encoding, "xmlcharrefreplace")

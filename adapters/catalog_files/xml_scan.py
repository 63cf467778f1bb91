"""Streaming, defused reading of product XML: one `XmlRow` per product element.

The parser is defusedxml's (the one its `iterparse` drives), refusing any DTD, entity
declaration or external reference, so an XML bomb or an external entity fails at its
declaration, before anything is expanded or fetched. It is driven directly, with a target that
keeps only the product element being read, so memory holds one product whatever the file's
size, and each element's line and byte offsets are known (the writer splices new copy in at
those offsets).

Layouts: a root whose children are the products and whose grandchildren their columns
(`<products><product><sku>…</sku>…</product>…</products>`, any tag names); or WordPress's
export (WXR: `<rss><channel><item>…`), whose `item`s are the products.
"""

import dataclasses
from collections.abc import Iterator
from typing import Any, BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from domain.errors import MalformedInputError, TooLargeError

CHUNK_BYTES = 1 << 16
MAX_ROW_CHARS = 16 << 20


@dataclasses.dataclass(slots=True)
class XmlField:
    """A direct child of a product element; nested elements are flattened into `children`."""

    tag: str
    attrib: dict[str, str]
    text: str = ""
    children: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    start: int = 0
    """Byte offset of the start tag's `<`."""
    end: int = 0
    """Byte offset of the end tag's `<` (just past the element when it is empty: `<a/>`)."""


@dataclasses.dataclass(slots=True)
class XmlRow:
    line: int
    tag: str
    fields: list[XmlField]
    start: int
    end: int


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Target:
    """Receives the parser's events; completed rows pile up in `ready`."""

    def __init__(self) -> None:
        self.expat: Any = None
        self.ready: list[XmlRow] = []
        self.layout = ""
        self._depth = 0
        self.row_depth = 2
        self.row: XmlRow | None = None
        self._field: XmlField | None = None
        self._texts: list[list[str]] = []
        self._size = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        if self._depth == 1:
            self.layout = "wxr" if local_name(tag) == "rss" else "rows"
            self.row_depth = 3 if self.layout == "wxr" else 2
        elif self.row is None:
            if self._depth == self.row_depth and (self.layout != "wxr" or local_name(tag) == "item"):
                self.row = XmlRow(self.expat.CurrentLineNumber, tag, [], self.expat.CurrentByteIndex, 0)
                self._size = 0
        elif self._depth == self.row_depth + 1:
            self._field = XmlField(tag, dict(attrib), start=self.expat.CurrentByteIndex)
            self._texts = [[]]
        elif self._field is not None:
            self._texts.append([])

    def data(self, text: str) -> None:
        if self._texts:
            self._texts[-1].append(text)
            self._size += len(text)
            if self._size > MAX_ROW_CHARS and self.row is not None:
                raise MalformedInputError(
                    f"line {self.row.line}: a product element larger than {MAX_ROW_CHARS} characters; "
                    f"products are expected as children of the root element, columns as theirs")

    def end(self, tag: str) -> None:
        depth, self._depth = self._depth, self._depth - 1
        if self.row is None:
            return
        if depth == self.row_depth:
            self.row.end = self.expat.CurrentByteIndex
            self.ready.append(self.row)
            self.row = None
        elif depth == self.row_depth + 1 and self._field is not None:
            self._field.text = "".join(self._texts.pop())
            self._field.end = self.expat.CurrentByteIndex
            self.row.fields.append(self._field)
            self._field, self._texts = None, []
        elif self._field is not None:
            self._field.children.append((tag, "".join(self._texts.pop())))

    def close(self) -> None:
        return None


class XmlRowScanner:
    """Feed bytes, collect the product rows completed so far."""

    def __init__(self) -> None:
        self._target = _Target()
        self._parser = DefusedXMLParser(target=self._target, forbid_dtd=True, forbid_entities=True,
                                        forbid_external=True)
        self._target.expat = self._parser.parser

    @property
    def layout(self) -> str:
        """"rows" or "wxr", known once the root element was read."""
        return self._target.layout

    @property
    def open_row_start(self) -> int | None:
        """Byte offset where the product element being read starts (None between products)."""
        row = self._target.row
        return None if row is None else row.start

    def feed(self, data: bytes) -> list[XmlRow]:
        try:
            if data:
                self._parser.feed(data)
            else:
                self._parser.close()
        except ParseError as exc:
            line, column = exc.position
            message = str(exc).split(":", 1)[0]
            raise MalformedInputError(f"line {line}, column {column + 1}: invalid XML ({message})") from None
        except LookupError as exc:  # the XML declaration names an encoding Python does not know
            raise MalformedInputError(f"line 1: {exc}; save the file as UTF-8") from None
        except DefusedXmlException:
            raise MalformedInputError(
                f"line {self._target.expat.CurrentLineNumber}: the XML declares a DTD or entities, "
                f"which are refused (entity expansion and external references are unsafe)") from None
        ready, self._target.ready = self._target.ready, []
        return ready


def scan_rows(stream: BinaryIO, *, max_bytes: int | None = None) -> tuple[XmlRowScanner, Iterator[XmlRow]]:
    """The scanner (for its `layout`) and the product rows of an XML stream, read lazily."""
    scanner = XmlRowScanner()

    def rows() -> Iterator[XmlRow]:
        read = 0
        while True:
            chunk = stream.read(CHUNK_BYTES)
            read += len(chunk)
            if max_bytes is not None and read > max_bytes:
                raise TooLargeError(f"the file is larger than the {max_bytes} bytes allowed")
            yield from scanner.feed(chunk)
            if not chunk:
                return
    return scanner, rows()

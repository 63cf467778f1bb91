"""Bytes of an uploaded file as decoded lines, read chunk by chunk.

The encoding is chosen from the bytes themselves: a BOM (UTF-8, UTF-16) wins; otherwise the
file counts as ASCII until its first chunk with a non-ASCII byte, which decides between UTF-8
and cp1252 (Latin-1 when even cp1252 cannot read it). A chunk decided as UTF-8 and an invalid
sequence found later is an error naming the line, never silently mixed text; so is a NUL
character (no read model could store it), never silently dropped.
"""

import codecs
import re
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

from domain.errors import MalformedInputError, TooLargeError

CHUNK_BYTES = 1 << 20
MAX_LINE_CHARS = 16 << 20

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# str.splitlines also breaks at these; a CSV record may contain them, so such chunks split slower.
_RARE_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def read_exactly(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream (pipes may answer short reads)."""
    data = stream.read(size)
    while len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            break
        data += more
    return data


def split_bom(head: bytes) -> tuple[bytes, str | None]:
    """The BOM at the start of `head` (or b"") and the encoding it announces."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return bom, name
    return b"", None


def guess_encoding(stream: BinaryIO) -> tuple[bytes, str]:
    """(BOM, encoding) of a seekable stream, deciding exactly as `DecodedLines` would; the
    stream is left where it was."""
    start = stream.tell()
    try:
        lines = DecodedLines(stream)
        for _ in lines.texts():
            if lines.encoding is not None:
                break
        return lines.bom, lines.encoding or "utf-8"
    finally:
        stream.seek(start)


class DecodedLines:
    """The text of a binary stream as lines with their line endings, decoded incrementally.

    `encoding` is None while every byte read so far was ASCII. Reading past `max_bytes`
    raises TooLargeError; an undecodable byte raises MalformedInputError naming its line.
    """

    def __init__(self, stream: BinaryIO, *, max_bytes: int | None = None) -> None:
        self._stream = stream
        self._max_bytes = max_bytes
        self.bom = b""
        self.encoding: str | None = None
        self._decoder: codecs.IncrementalDecoder | None = None
        self._bytes_read = 0
        self._newlines = 0

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._line_batches())

    def texts(self) -> Iterator[str]:
        """The decoded text, one piece per chunk read."""
        head = self._read(max(CHUNK_BYTES, 4), exactly=True)
        self.bom, self.encoding = split_bom(head)
        if self.encoding is not None:
            self._decoder = codecs.getincrementaldecoder(self.encoding)()
        chunk = head[len(self.bom):]
        while True:
            final = not chunk
            text = self._decode(chunk, final)
            if "\x00" in text:
                raise self._nul_error(text)
            if text:
                self._newlines += text.count("\n")
                yield text
            if final:
                return
            chunk = self._read(CHUNK_BYTES)

    def _line_batches(self) -> Iterator[list[str]]:
        carry = ""
        for text in self.texts():
            if carry:
                text = carry + text
            rare = any(mark in text for mark in _RARE_BREAKS)
            lines = _LINE.findall(text) if rare else text.splitlines(True)
            # The last piece may continue in the next chunk (also a "\r" whose "\n" is still unread).
            carry = lines.pop() if lines and not lines[-1].endswith("\n") else ""
            if len(carry) > MAX_LINE_CHARS:
                raise MalformedInputError(f"line {self._newlines + 1}: a line longer than "
                                          f"{MAX_LINE_CHARS} characters; is this really a CSV file?")
            yield lines
        if carry:
            yield [carry]

    def _read(self, size: int, *, exactly: bool = False) -> bytes:
        data = read_exactly(self._stream, size) if exactly else self._stream.read(size)
        self._bytes_read += len(data)
        if self._max_bytes is not None and self._bytes_read > self._max_bytes:
            raise TooLargeError(f"the file is larger than the {self._max_bytes} bytes allowed")
        return data

    def _decode(self, chunk: bytes, final: bool) -> str:
        if self._decoder is None:
            if chunk.isascii():
                return chunk.decode("ascii")
            return self._decide(chunk, final)
        try:
            return self._decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

    def _decide(self, chunk: bytes, final: bool) -> str:
        utf8 = codecs.getincrementaldecoder("utf-8")()
        try:
            text = utf8.decode(chunk, final)
            self.encoding, self._decoder = "utf-8", utf8
            return text
        except UnicodeDecodeError:
            pass
        for name in ("cp1252", "latin-1"):
            try:
                text = chunk.decode(name)
            except UnicodeDecodeError:
                continue
            self.encoding, self._decoder = name, codecs.getincrementaldecoder(name)()
            return text
        raise AssertionError("latin-1 decodes every byte")  # pragma: no cover

    def _nul_error(self, text: str) -> MalformedInputError:
        """A NUL could not be stored with the catalog (PostgreSQL text refuses it): the file is
        refused, naming where, rather than changed silently."""
        before = text[:text.index("\x00")]
        line = self._newlines + before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return MalformedInputError(
            f"line {line}, character {column}: contains a NUL character; is this a spreadsheet "
            f"(.xlsx) or a binary file rather than a CSV file?")

    def _decode_error(self, exc: UnicodeDecodeError) -> MalformedInputError:
        before = exc.object[:exc.start].decode(self.encoding or "utf-8", "replace")
        line = self._newlines + before.count("\n") + 1
        return MalformedInputError(
            f"line {line}: byte 0x{exc.object[exc.start]:02x} is not valid {self.encoding}; "
            f"the file mixes text encodings (save it again as UTF-8)")

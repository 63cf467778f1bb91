"""Multipart uploads read as a stream: the file part goes to a temporary file (on disk past
1 MB) as it arrives, with a size limit, so a catalog of any size never sits whole in memory."""

import dataclasses
import tempfile
from typing import IO, Any, BinaryIO, cast

from litestar import Request
from litestar.exceptions import ValidationException
from multipart import MultipartError, MultipartSegment, ParserLimitReached, PushMultipartParser

from api.text_rules import shown, text_problem
from domain.errors import TooLargeError

SPOOL_BYTES = 1 << 20
MAX_FIELD_BYTES = 1 << 20
MAX_PARTS = 20


@dataclasses.dataclass
class Upload:
    """The uploaded file (`file` is positioned at 0; the caller closes it) and the text fields."""

    filename: str
    file: BinaryIO
    size: int
    fields: dict[str, str]

    def close(self) -> None:
        self.file.close()


async def read_upload(request: Request[Any, Any, Any], *, file_field: str = "file",
                      max_bytes: int) -> Upload:
    """The multipart body's `file_field` file and its other fields; ValidationException (400)
    for a body that is not multipart or has no such file, TooLargeError (413) past `max_bytes`."""
    content_type, options = request.content_type
    boundary = options.get("boundary")
    if content_type != "multipart/form-data" or not boundary:
        raise ValidationException(f"send the body as multipart/form-data with a '{file_field}' part")
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > max_bytes + 64 * 1024:
        raise TooLargeError(_too_large(max_bytes))
    reader = _Reader(file_field, max_bytes)
    try:
        with PushMultipartParser(boundary.encode(), max_segment_count=MAX_PARTS) as parser:
            async for chunk in request.stream():
                reader.feed(parser.parse(chunk))
            reader.feed(parser.parse(b""))
    except ParserLimitReached:
        reader.discard()
        raise ValidationException("the form has too many parts") from None
    except MultipartError as error:
        reader.discard()
        raise ValidationException(f"the multipart body is malformed: {error}") from None
    except BaseException:
        reader.discard()
        raise
    return reader.upload()


def _too_large(max_bytes: int) -> str:
    return f"the file is larger than the limit of {max_bytes / (1 << 20):g} MB"


class _Reader:
    def __init__(self, file_field: str, max_bytes: int) -> None:
        self.file_field = file_field
        self.max_bytes = max_bytes
        self.segment: MultipartSegment | None = None
        self.file: IO[bytes] | None = None
        self.filename = ""
        self.size = 0
        self.fields: dict[str, str] = {}
        self.field_value = bytearray()

    def feed(self, events: Any) -> None:
        for event in events:
            if isinstance(event, MultipartSegment):
                self.segment = event
                self.field_value = bytearray()
                if event.name == self.file_field and event.filename is not None:
                    if self.file is not None:
                        raise ValidationException(f"send one '{self.file_field}' part only")
                    self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
                    self.filename = event.filename
            elif event is None:
                self._end_segment()
            else:
                self._body(bytes(event))

    def _body(self, data: bytes) -> None:
        if self.segment is None:
            return
        if self.file is not None and self.segment.name == self.file_field and self.segment.filename:
            self.size += len(data)
            if self.size > self.max_bytes:
                raise TooLargeError(_too_large(self.max_bytes))
            self.file.write(data)
            return
        self.field_value.extend(data)
        if len(self.field_value) > MAX_FIELD_BYTES:
            raise ValidationException(f"the form field {self.segment.name!r} is too long")

    def _end_segment(self) -> None:
        segment = self.segment
        if segment is not None and segment.name and not (
                segment.name == self.file_field and segment.filename is not None):
            try:
                self.fields[segment.name] = self.field_value.decode(segment.charset or "utf-8")
            except (UnicodeDecodeError, LookupError):
                raise ValidationException(f"the form field {segment.name!r} is not UTF-8") from None
            problem = text_problem(self.fields[segment.name])
            if problem:
                raise ValidationException(f"form field '{shown(segment.name)}': {problem}")
        self.segment = None

    def upload(self) -> Upload:
        if self.file is None:
            if self.file_field in self.fields:
                raise ValidationException(f"'{self.file_field}' must be a file part (with a filename)")
            raise ValidationException(f"the form has no '{self.file_field}' file part")
        self.file.seek(0)
        return Upload(filename=self.filename, file=cast(BinaryIO, self.file), size=self.size,
                      fields=self.fields)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()

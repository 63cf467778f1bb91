"""The file-store interface and the choice of implementation from the settings."""

import dataclasses
import re
from collections.abc import Iterable
from typing import BinaryIO, Protocol

from adapters.settings import Settings

CHUNK = 1 << 20
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,400}$")


@dataclasses.dataclass(frozen=True)
class StoredFile:
    key: str
    size: int


class FileStore(Protocol):
    def put(self, key: str, chunks: Iterable[bytes]) -> StoredFile:
        """Store the bytes under `key` (replacing any earlier file)."""
        ...

    def open(self, key: str) -> BinaryIO:
        """A readable, seekable file with the stored bytes; the caller closes it."""
        ...

    def delete(self, key: str) -> None:
        """Forget the file; a missing key is not an error."""
        ...

    def presigned_url(self, key: str, seconds: int, *, file_name: str,
                      content_type: str) -> str | None:
        """A link the store itself serves the file at for `seconds`; None when it serves
        none (copydesk then serves the file behind its own signed link)."""
        ...


def check_key(key: str) -> str:
    """Keys are made by copydesk (`<org>/<source>/<name>`), never by a user; refuse anything odd."""
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"invalid file key {key!r}")
    return key


def read_chunks(stream: BinaryIO, size: int = CHUNK) -> Iterable[bytes]:
    while chunk := stream.read(size):
        yield chunk


def file_store_for(settings: Settings) -> FileStore:
    if settings.s3_endpoint:
        from adapters.files.s3 import S3FileStore

        return S3FileStore(
            endpoint=settings.s3_endpoint, bucket=settings.s3_bucket, region=settings.s3_region,
            access_key=settings.s3_access_key, secret_key=settings.s3_secret_key,
        )
    from adapters.files.local import LocalFileStore

    return LocalFileStore(settings.files_dir or settings.home / "files")

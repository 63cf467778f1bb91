"""Where uploaded files are kept: a local folder by default, an S3-compatible bucket when
configured. Both behind `FileStore`, streamed in chunks so a large export never sits in memory."""

from adapters.files.store import FileStore, StoredFile, file_store_for

__all__ = ["FileStore", "StoredFile", "file_store_for"]

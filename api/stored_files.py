"""Answering with a file from the file store, streamed in chunks and closed however the
answer ends. (Its type goes in a header: a route's `media_type` overrides a stream's own.)"""

import asyncio
from collections.abc import AsyncIterator
from typing import BinaryIO

from litestar.response import Stream

from adapters.files.store import file_store_for, read_chunks
from adapters.settings import Settings
from domain.errors import NotFoundError


async def stored_file(settings: Settings, key: str, headers: dict[str, str], *,
                      missing: str = "file not found") -> Stream:
    """The file at `key` as the answer with `headers`; 404 `missing` when it is not there."""
    try:
        stream = await asyncio.to_thread(file_store_for(settings).open, key)
    except KeyError:
        raise NotFoundError(missing) from None
    return Stream(_chunks(stream), headers=headers)


async def _chunks(stream: BinaryIO) -> AsyncIterator[bytes]:
    try:
        for chunk in read_chunks(stream):
            yield chunk
    finally:
        stream.close()

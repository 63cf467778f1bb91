"""ASGI middleware: `/api/X` ≡ `/api/v1/X`, request ids, access logs, positions."""

import time
import uuid
from typing import Any

import structlog

from api.asgi_types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("copydesk.http")

UNVERSIONED = ("/api/docs", "/api/v1/", "/api/v1")


def versioned_path(path: str) -> str:
    """`/api/projects` → `/api/v1/projects`; everything else unchanged."""
    if path.startswith("/api/") and not path.startswith(UNVERSIONED):
        return "/api/v1/" + path[len("/api/"):]
    return path


class VersionRewrite:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = versioned_path(scope["path"])
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def request_id_of(scope: Scope) -> str:
    """The request's `X-Request-ID` when it is sane (1 to 64 ASCII characters), else a new one."""
    given = header(scope, b"x-request-id") or ""
    return given if 0 < len(given) <= 64 and given.isascii() else uuid.uuid4().hex


MIN_POSITION_WAIT_SECONDS = 5.0


class RequestContext:
    """Gives every request an id (kept from `X-Request-ID` when sane), logs it, and adds
    `X-Request-ID` and, for commands, `X-Position` to the response."""

    def __init__(self, app: ASGIApp, litestar: Any) -> None:
        self.app = app
        self.litestar = litestar  # where the services are, outside Litestar's own scope

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                position = state.get("position")
                if position:
                    headers.append((b"x-position", str(position).encode()))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self._wait_for_min_position(scope, self.litestar)
            try:
                await self.app(scope, receive, send_with_headers)
            finally:
                log.info("request", method=scope["method"], path=scope["path"], status=status,
                         ms=round((time.perf_counter() - started) * 1000, 2))

    @staticmethod
    async def _wait_for_min_position(scope: Scope, litestar: Any) -> None:
        """`X-Min-Position: N` on a query: wait (bounded) until every read model shows N."""
        wanted = header(scope, b"x-min-position")
        if not wanted or not wanted.isdigit():
            return
        positions = litestar.state.services.positions
        names = tuple(positions.positions) or ("identity",)
        await positions.wait(names, int(wanted), MIN_POSITION_WAIT_SECONDS)

"""JSON Lines bodies (`application/x-ndjson`, `application/jsonl`) for a route that takes
them (`opt={"json_lines": True}`): each non-blank line becomes one element of the JSON array
the route already takes, so its limits and checks hold unchanged. A line that is not JSON, or
holds text PostgreSQL cannot store, becomes `null`; `scope["json_lines"]` keeps, per element,
its line number and that problem (or None), for the route to refuse that line alone, to name
the line of every refusal and to answer in JSON Lines too. Runs after routing, before the
strict JSON decoding."""

from typing import Any

import msgspec

from api.asgi_types import ASGIApp, Receive, Scope, Send
from api.body_limits import media_type, read_body, replaying, send_error
from api.text_rules import json_problem

MEDIA_TYPES = ("application/x-ndjson", "application/jsonl")
ANSWER_MEDIA_TYPE = "application/x-ndjson"
SCOPE_KEY = "json_lines"


Line = tuple[int, str | None]
"""An element's line number, and why the line is refused (None: it is JSON)."""


def as_array(body: bytes) -> tuple[bytes, list[Line]]:
    """The JSON array of the body's non-blank lines, and each element's `Line`."""
    elements: list[bytes] = []
    lines: list[Line] = []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        problem = _line_problem(line)
        lines.append((number, problem))
        elements.append(b"null" if problem is not None else line.strip())
    return b"[" + b",".join(elements) + b"]", lines


def _line_problem(line: bytes) -> str | None:
    try:
        value: Any = msgspec.json.decode(line)
    except msgspec.DecodeError as error:
        return f"not valid JSON: {error}"
    except RecursionError:
        return "nested too deeply"
    return json_problem(value)


class JsonLinesBodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler") if scope["type"] == "http" else None
        if (handler is None or not handler.opt.get(SCOPE_KEY)
                or media_type(scope) not in MEDIA_TYPES):
            await self.app(scope, receive, send)
            return
        body, last = await read_body(receive, float("inf"))  # bounded by api.body_limits
        try:
            text = body.decode()
        except UnicodeDecodeError:
            await send_error(send, 400, "the body is not UTF-8")
            return
        if not text.strip():
            await send_error(send, 400, "the body holds no lines")
            return
        array, lines = as_array(body)
        headers = [(k, v) for k, v in scope.get("headers", [])
                   if k not in (b"content-type", b"content-length")]
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(array)).encode())]
        scope = {**scope, "headers": headers, SCOPE_KEY: lines}
        await self.app(scope, replaying(array, last, receive), send)

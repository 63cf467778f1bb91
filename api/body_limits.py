"""Every request checked before anything parses it: the body's size (413), a JSON body's
encoding, syntax and depth (400), and every text value (JSON strings and keys, form fields,
the query string, the path, headers) free of what PostgreSQL cannot store (400 naming it).

Multipart bodies (file uploads) stream through, bounded by the upload limit; their text fields
are checked where they are read (`api.forms`, `api.uploads`)."""

import json

import msgspec

from api.asgi_types import ASGIApp, Message, Receive, Scope, Send
from api.errors import error_body
from api.text_rules import json_body_problem, pairs_problem, shown, text_problem

JSON_MAX_BYTES = 1 << 20
UPLOAD_SLACK_BYTES = 64 * 1024  # the multipart framing and text fields around the file


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def media_type(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return str(value.decode("latin-1")).split(";")[0].strip().lower()
    return ""


def is_json(media: str) -> bool:
    return media == "application/json" or (media.startswith("application/") and
                                           media.endswith("+json"))


def check_head(scope: Scope) -> None:
    """The path, query string and headers."""
    problem = text_problem(scope.get("path", ""))
    if problem:
        raise Refused(400, f"the path: {problem}")
    problem = pairs_problem(scope.get("query_string", b""), "query parameter")
    if problem:
        raise Refused(400, problem)
    for key, value in scope.get("headers", []):
        if b"\x00" in value:
            raise Refused(400, f"header '{shown(key.decode('latin-1'))}': "
                               "text may not contain NUL characters")


def check_body(media: str, body: bytes) -> None:
    """A JSON or urlencoded body: UTF-8, well-formed, not too deep, storable."""
    if is_json(media):
        try:
            text = body.decode()
        except UnicodeDecodeError:
            raise Refused(400, "the body is not UTF-8") from None
        if not text.strip():
            return
        try:
            value = msgspec.json.decode(body)
        except msgspec.DecodeError as error:
            raise Refused(400, f"the body is not valid JSON: {error}") from None
        except RecursionError:
            raise Refused(400, "the JSON body is nested too deeply") from None
        problem = json_body_problem(body, value)
        if problem:
            raise Refused(400, problem)
    elif media == "application/x-www-form-urlencoded":
        problem = pairs_problem(body, "form field")
        if problem:
            raise Refused(400, problem)


def declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length" and value.isdigit():
            return int(value)
    return None


def too_large(limit: float) -> Refused:
    return Refused(413, f"the body is larger than the limit of {limit / (1 << 20):g} MB")


class BodyLimits:
    """The checks above, for every HTTP request. A multipart body may announce up to
    `upload_max_bytes` (plus framing) and streams on, counted by the route that reads it;
    every other body is read here, up to `JSON_MAX_BYTES`, and replayed."""

    def __init__(self, app: ASGIApp, *, upload_max_bytes: int) -> None:
        self.app = app
        self.upload_limit = upload_max_bytes + UPLOAD_SLACK_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        media = media_type(scope)
        try:
            check_head(scope)
            if media == "multipart/form-data":
                self._check_length(scope, self.upload_limit)
                await self.app(scope, receive, send)
                return
            self._check_length(scope, JSON_MAX_BYTES)
            body, last = await read_body(receive, JSON_MAX_BYTES)
            check_body(media, body)
        except Refused as refused:
            await send_error(send, refused.status, refused.detail)
            return
        await self.app(scope, replaying(body, last, receive), send)

    @staticmethod
    def _check_length(scope: Scope, limit: int) -> None:
        length = declared_length(scope)
        if length is not None and length > limit:
            raise too_large(limit)


async def read_body(receive: Receive, limit: float) -> tuple[bytes, Message]:
    """The whole body, and the last message received (Refused past `limit`)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), message


def replaying(body: bytes, last: Message, receive: Receive) -> Receive:
    """`receive` that gives the body read already, then listens on."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()  # a streaming response listens for the disconnect
        replayed = True
        if last["type"] != "http.request":
            return last
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def send_error(send: Send, status: int, detail: str) -> None:
    """The error shape, answered straight from the ASGI layer."""
    payload = json.dumps(error_body(detail, status)).encode()
    headers: list[tuple[bytes, bytes]] = [(b"content-type", b"application/json"),
                                          (b"content-length", str(len(payload)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))  # the rest of the body is not read
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})

"""`Idempotency-Key` on POST, with Stripe's semantics.

The first request with a key runs and its response is kept for 24 hours; the same key with
the same body replays that response (`Idempotent-Replayed: true`); with another body it is
422; while the first is still running, 409. Keys are per organization. A response of 5xx is
not kept, so the client may retry it. A response marked `Cache-Control: no-store` (it holds
a secret: a new API key, tokens) is remembered without its body, and a repeat gets 409.
"""

import hashlib
import json
from typing import Any

from litestar import Request

from adapters.postgres import idempotency_keys
from api.asgi_types import ASGIApp, Message, Receive, Scope, Send
from api.auth import resolve_principal
from api.errors import error_body
from api.services import Services

MAX_KEY_LENGTH = 255


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


class IdempotencyKeys:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope)  # type: ignore[arg-type]
        key = request.headers.get("idempotency-key")
        if not key:
            await self.app(scope, receive, send)
            return
        if len(key) > MAX_KEY_LENGTH:
            await _send_json(send, 400, error_body("Idempotency-Key is longer than 255", 400))
            return
        services: Services = scope["app"].state.services
        principal = await resolve_principal(services, request.headers, request.cookies)
        if principal is None:
            await self.app(scope, receive, send)  # the route answers 401
            return
        scope["principal"] = principal
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        fingerprint = hashlib.sha256(
            scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + body
        ).hexdigest()
        async with services.pool.connection() as conn:
            first = await idempotency_keys.claim(conn, principal.org_id, key, fingerprint)
            if not first:
                row = await idempotency_keys.get(conn, principal.org_id, key)
        if not first:
            await self._answer_repeat(send, row, fingerprint)
            return
        await self._run_first(scope, body, receive, send, services, principal.org_id, key)

    async def _answer_repeat(self, send: Send, row: idempotency_keys.KeptRequest | None,
                             fingerprint: str) -> None:
        if row is None:
            await _send_json(send, 409, error_body("retry: the first request just ended", 409))
        elif row.request_hash != fingerprint:
            await _send_json(send, 422, error_body(
                "this Idempotency-Key was used with a different request", 422))
        elif row.state != "done":
            await _send_json(send, 409, error_body(
                "a request with this Idempotency-Key is still in progress", 409))
        elif row.body is None:
            await _send_json(send, 409, error_body(
                "this Idempotency-Key was used already; its response held a secret and is not kept",
                409))
        else:
            headers = [(k.encode(), v.encode()) for k, v in row.headers]
            headers.append((b"idempotent-replayed", b"true"))
            await send({"type": "http.response.start", "status": row.status, "headers": headers})
            await send({"type": "http.response.body", "body": row.body})

    async def _run_first(self, scope: Scope, body: bytes, receive: Receive, send: Send,
                         services: Services, org_id: Any, key: str) -> None:
        status = 500
        headers: list[tuple[str, str]] = []
        chunks: list[bytes] = []
        sent_body = False
        kept = False

        async def replay_body() -> Message:
            nonlocal sent_body
            if sent_body:
                return await receive()  # a streaming response listens for the disconnect
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def keep() -> None:
            nonlocal kept
            kept = True
            secret = any(k.lower() == "cache-control" and "no-store" in v for k, v in headers)
            async with services.pool.connection() as conn:
                if status >= 500:
                    await idempotency_keys.forget(conn, org_id, key)
                else:
                    await idempotency_keys.finish(conn, org_id, key, status=status,
                                                  headers=headers,
                                                  body=None if secret else b"".join(chunks))

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.extend((k.decode(), v.decode()) for k, v in message.get("headers", [])
                               if k.lower() not in (b"set-cookie", b"x-request-id"))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and not kept:
                    # kept before the client sees the end, so its next request finds it done
                    await keep()
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            if not kept:
                await keep()

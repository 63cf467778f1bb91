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

from api.asgi_types import ASGIApp, Message, Receive, Scope, Send
from api.auth import resolve_principal
from api.errors import error_body
from api.services import Services

KEEP = "24 hours"
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
            await conn.execute(
                f"DELETE FROM idempotency_keys WHERE org_id = %s AND key = %s"
                f" AND created_at < now() - interval '{KEEP}'", (principal.org_id, key))
            cur = await conn.execute(
                "INSERT INTO idempotency_keys (org_id, key, request_hash) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING RETURNING 1", (principal.org_id, key, fingerprint))
            first = await cur.fetchone() is not None
            if not first:
                cur = await conn.execute(
                    "SELECT request_hash, state, status, headers, body FROM idempotency_keys"
                    " WHERE org_id = %s AND key = %s", (principal.org_id, key))
                row = await cur.fetchone()
        if not first:
            await self._answer_repeat(send, row, fingerprint)
            return
        await self._run_first(scope, body, receive, send, services, principal.org_id, key)

    async def _answer_repeat(self, send: Send, row: Any, fingerprint: str) -> None:
        if row is None:
            await _send_json(send, 409, error_body("retry: the first request just ended", 409))
        elif row[0] != fingerprint:
            await _send_json(send, 422, error_body(
                "this Idempotency-Key was used with a different request", 422))
        elif row[1] != "done":
            await _send_json(send, 409, error_body(
                "a request with this Idempotency-Key is still in progress", 409))
        elif row[4] is None:
            await _send_json(send, 409, error_body(
                "this Idempotency-Key was used already; its response held a secret and is not kept",
                409))
        else:
            headers = [(k.encode(), v.encode()) for k, v in row[3]]
            headers.append((b"idempotent-replayed", b"true"))
            await send({"type": "http.response.start", "status": row[2], "headers": headers})
            await send({"type": "http.response.body", "body": bytes(row[4])})

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
                    await conn.execute("DELETE FROM idempotency_keys WHERE org_id = %s AND key = %s",
                                       (org_id, key))
                else:
                    await conn.execute(
                        "UPDATE idempotency_keys SET state = 'done', status = %s, headers = %s,"
                        " body = %s WHERE org_id = %s AND key = %s",
                        (status, json.dumps(headers), None if secret else b"".join(chunks),
                         org_id, key))

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

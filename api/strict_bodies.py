"""A route that takes a JSON body (`data: SomeStruct`) gets it as `application/json` (415
otherwise) and decoded strictly: Litestar converts `data` leniently (`0` would pass as a
boolean, `"5"` as a number), so the body is first decoded here with msgspec's strict rules,
and a value of the wrong JSON type is 400 naming its field. Runs after routing, before the
route (and before `Idempotency-Key` remembers an answer)."""

import math
import re
from functools import partial
from typing import Any

import msgspec
from litestar.serialization.msgspec_hooks import default_deserializer

from api.asgi_types import ASGIApp, Receive, Scope, Send
from api.body_limits import read_body, replaying, send_error

AT_PATH = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_decoders: dict[int, msgspec.json.Decoder[Any] | None] = {}


def strict_decoder(handler: Any) -> msgspec.json.Decoder[Any] | None:
    """The strict decoder of the handler's `data` parameter; None if it takes no JSON body."""
    key = id(handler)
    if key not in _decoders:
        data = handler.parsed_fn_signature.parameters.get("data")
        decoder = None
        if data is not None:
            hook = partial(default_deserializer, type_decoders=handler.resolve_type_decoders())
            try:
                decoder = msgspec.json.Decoder(data.annotation, strict=True, dec_hook=hook)
            except TypeError:  # a type msgspec cannot decode by itself: Litestar's rules only
                decoder = None
        _decoders[key] = decoder
    return _decoders[key]


def validation_detail(error: msgspec.ValidationError) -> str:
    """msgspec's message with its `$.a.b` path said as the API says it: (field 'a.b')."""
    message = str(error)
    found = AT_PATH.search(message)
    if found is None:
        return message
    return f"{message[:found.start()]} (field '{found.group('path')}')"


def json_media(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return bool(value.split(b";")[0].strip().lower() == b"application/json")
    return False


class StrictJsonBodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        decoder = strict_decoder(scope["route_handler"]) if scope["type"] == "http" else None
        if decoder is None:
            await self.app(scope, receive, send)
            return
        body, last = await read_body(receive, math.inf)  # bounded by api.body_limits
        if body.strip():
            if not json_media(scope):
                await send_error(send, 415, "send the body as application/json")
                return
            try:
                decoder.decode(body)
            except msgspec.ValidationError as error:
                await send_error(send, 400, validation_detail(error))
                return
            except msgspec.DecodeError as error:
                await send_error(send, 400, f"the body is not valid JSON: {error}")
                return
        await self.app(scope, replaying(body, last, receive), send)

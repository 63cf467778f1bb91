"""`POST /api/v1/ai-pages/design-system/extract` (≡ `/api/ai-pages/design-system/extract/`):
design tokens suggested from a picture, streamed as Server-Sent Events; nothing is saved.

The URL goes through the outbound-URL guard and the bytes must decode as an image before the
stream starts (a refused URL or a file that is not a picture is a 422). The stream sends the
picture's dominant colours (`colours`), a `suggestion` per token read from them (source
`image`), then, when Claude is used, a `suggestion` per token Claude saw (source `claude`,
fonts included; a failure is an `error` event and the colours' suggestions stand), and `done`
with every suggestion, the later source winning a token both gave.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import msgspec
from litestar import post
from litestar.response import Stream

from adapters.design_extract.image_colours import dominant_colours, media_type, open_image
from adapters.design_extract.vision import VisionError, suggest_with_claude
from adapters.llm.registry import base_url
from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, fetch
from adapters.settings import Settings
from api.auth import AUTHENTICATED, Caller
from api.dependencies import AppServices
from api.pages.anthropic_key import anthropic_key
from api.sse import sse_event, sse_response
from domain.errors import InvalidCommandError
from domain.pages.colour_suggestions import suggest_colours

MAX_IMAGE_BYTES = 10 * 1024 * 1024


class ExtractIn(msgspec.Struct):
    image_url: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    provider: Literal["anthropic", "offline"] | None = None
    """None: Claude when the organization or the platform has an Anthropic key, else offline."""


def _policy(settings: Settings) -> OutboundPolicy:
    return OutboundPolicy(allow_loopback=settings.feeds_allow_loopback,
                          max_bytes=MAX_IMAGE_BYTES,
                          timeout_seconds=min(settings.feed_timeout_seconds, 30.0))


@post("/api/v1/ai-pages/design-system/extract", operation_id="extract_design_system",
      tags=["pages"], status_code=200, summary="Suggest design tokens from an image",
      dependencies=AUTHENTICATED, media_type="text/event-stream")
async def extract_design_system(services: AppServices, principal: Caller,
                                data: ExtractIn) -> Stream:
    """Stream suggestions for the design system from the picture at `image_url`."""
    key = await anthropic_key(services, principal, offline=data.provider == "offline",
                              required=data.provider == "anthropic", field="provider")
    try:
        body = await fetch(data.image_url, _policy(services.settings))
    except OutboundRefusedError as error:
        raise InvalidCommandError(f"image_url: {error}") from None
    image = await asyncio.to_thread(open_image, body)
    colours = await asyncio.to_thread(dominant_colours, image)
    return sse_response(_events(services.settings, body, media_type(image), colours, key))


async def _events(settings: Settings, body: bytes, image_type: str, colours: Any,
                  key: str) -> AsyncIterator[bytes]:
    yield sse_event("colours", {"colours": [{"hex": c.hex, "share": round(c.share, 4)}
                                            for c in colours]})
    suggestions: dict[str, dict[str, str]] = {}
    for name, value in suggest_colours(colours).items():
        suggestions[name] = {"value": value, "source": "image"}
        yield sse_event("suggestion", {"name": name, "value": value, "source": "image"})
    if key:
        try:
            seen = await suggest_with_claude(
                body, image_type, api_key=key, base_url=base_url("anthropic", settings),
                timeout=settings.llm_timeout_seconds)
        except VisionError as error:
            yield sse_event("error", {"detail": str(error), "source": "claude"})
        else:
            for name, value in seen.items():
                suggestions[name] = {"value": value, "source": "claude"}
                yield sse_event("suggestion", {"name": name, "value": value, "source": "claude"})
    yield sse_event("done", {"suggestions": {n: s["value"] for n, s in suggestions.items()},
                             "sources": {n: s["source"] for n, s in suggestions.items()}})


ROUTES = [extract_design_system]

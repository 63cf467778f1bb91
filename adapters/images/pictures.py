"""A picture from an image model: OpenAI Images with the key given (the organization's,
else the platform's), and with neither the offline typographic card — so a preview or a
post image is made even where no image model can be called."""

import asyncio
import dataclasses

from adapters.images.card import Colours, typographic_card
from adapters.images.openai_images import ImageGenerationError, Quality, Style, generate_image
from adapters.settings import Settings
from domain.errors import InvalidCommandError, UnavailableError


@dataclasses.dataclass(frozen=True)
class Picture:
    data: bytes = dataclasses.field(repr=False)
    made_by: str
    """`openai`, `offline` (the card), `stock` or `upload`."""


async def generate_picture(settings: Settings, org_key: str | None, *, prompt: str,
                           title: str, size: str, quality: Quality = "standard",
                           style: Style = "natural",
                           colours: Colours | None = None) -> Picture:
    """The picture OpenAI makes for `prompt`, or the card of `title` (in `colours` when
    given) when there is no key; 422 when OpenAI refuses, 503 when it is unavailable."""
    key = (org_key or "").strip() or settings.openai_api_key.strip()
    if not key:
        width, height = (int(n) for n in size.split("x"))
        data = await asyncio.to_thread(typographic_card, title or prompt, width, height,
                                       colours)
        return Picture(data, "offline")
    try:
        data = await generate_image(api_key=key, base_url=settings.openai_base_url,
                                    timeout=max(settings.llm_timeout_seconds, 60.0),
                                    prompt=prompt, size=size, quality=quality, style=style)
    except ImageGenerationError as error:
        if error.refused:
            raise InvalidCommandError(f"the image could not be generated: {error}") from None
        raise UnavailableError(f"the image could not be generated now: {error}",
                               retry_after=30) from None
    return Picture(data, "openai")

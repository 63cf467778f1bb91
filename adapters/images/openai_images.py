"""OpenAI Images through the official SDK: `images.generate` (DALL-E 3) answering base64
(`b64_json`), so the picture comes back in the answer and no URL of theirs is fetched."""

import base64
import binascii
from typing import Literal

import openai

MODEL = "dall-e-3"
SIZES = ("1024x1024", "1792x1024", "1024x1792")
Quality = Literal["standard", "hd"]
Style = Literal["natural", "vivid"]


class ImageGenerationError(Exception):
    """The provider could not make the picture; `refused` when it refused the key or the
    prompt (4xx), else it is unavailable (5xx, timeout, unreachable)."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


async def generate_image(*, api_key: str, base_url: str, timeout: float, prompt: str,
                         size: str, quality: Quality, style: Style) -> bytes:
    """The picture's bytes as the provider made them (the caller checks and re-encodes)."""
    client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=1,
                                timeout=timeout)
    try:
        answer = await client.images.generate(
            model=MODEL, prompt=prompt, n=1, size=size, quality=quality, style=style,
            response_format="b64_json")
    except openai.APIStatusError as error:
        raise ImageGenerationError(f"OpenAI answered {error.status_code}",
                                   refused=400 <= error.status_code < 500
                                   and error.status_code != 429) from None
    except openai.APIConnectionError as error:
        raise ImageGenerationError(f"OpenAI is unreachable ({type(error).__name__})") from None
    finally:
        await client.close()
    if not answer.data or not answer.data[0].b64_json:
        raise ImageGenerationError("OpenAI answered without an image")
    try:
        return base64.b64decode(answer.data[0].b64_json, validate=True)
    except (binascii.Error, ValueError):
        raise ImageGenerationError("OpenAI's image is not valid base64") from None

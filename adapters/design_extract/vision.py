"""Asking Claude, through the Anthropic SDK, which design tokens a picture suggests.

The answer is a JSON object of tokens; each is checked like a change of the design system
and a token that fails the check is left out, so nothing Claude says reaches a page
unchecked. Errors from the provider are reported in words without the key.
"""

import base64
import json
import re
from typing import Any

import anthropic

from adapters.llm.errors import scrub
from domain.errors import DomainError
from domain.generation.reference import model_or_default
from domain.pages.design_system import DEFAULTS, check_tokens

MODEL = model_or_default("anthropic", "")
INSTRUCTIONS = (
    "You are a brand designer. Look at the picture and suggest design tokens for a web page"
    " that matches it. Answer with one JSON object and nothing else, with any of these keys:"
    " primary_color, secondary_color, background_color, text_color (hex colours like #1A2B3C),"
    " heading_font, body_font (font family names, e.g. from Google Fonts), border_radius (a CSS"
    " length such as 8px). Leave out a key you cannot tell from the picture."
)
_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
SUGGESTED = tuple(name for name in DEFAULTS if name not in ("spacing_unit", "custom_css"))


class VisionError(Exception):
    """Claude could not be asked or gave no usable answer; the message says why."""


async def suggest_with_claude(image: bytes, media_type: str, *, api_key: str, base_url: str,
                              timeout: float, model: str = MODEL) -> dict[str, str]:
    """The tokens Claude suggests for the picture, each one valid."""
    client = anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                      max_retries=1)
    messages: Any = [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": media_type,
                                     "data": base64.b64encode(image).decode()}},
        {"type": "text", "text": "Suggest the design tokens for this picture."},
    ]}]
    try:
        message = await client.messages.create(model=model, max_tokens=400,
                                               system=INSTRUCTIONS, messages=messages)
    except anthropic.APIStatusError as error:
        raise VisionError(f"anthropic answered {error.status_code}: "
                          f"{scrub(str(error.message), api_key)}") from None
    except anthropic.APIError as error:
        raise VisionError(f"anthropic could not be reached ({type(error).__name__})") from None
    finally:
        await client.close()
    text = "".join(getattr(block, "text", "") for block in message.content)
    return valid_tokens(text)


def valid_tokens(text: str) -> dict[str, str]:
    """The tokens of the JSON object in `text` that pass the design system's checks."""
    found = _OBJECT.search(text)
    try:
        answer: Any = json.loads(found.group(0)) if found else None
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        raise VisionError("anthropic answered without a JSON object of tokens")
    tokens: dict[str, str] = {}
    for name in SUGGESTED:
        if name in answer:
            try:
                tokens.update(check_tokens({name: answer[name]}))
            except DomainError:
                continue
    return tokens

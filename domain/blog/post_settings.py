"""How a blog post is to be written (`ai_settings` of the create request): which provider
and model, the language, tone and length. Unknown keys are kept but not read."""

import dataclasses
from collections.abc import Mapping
from typing import Any

from domain.errors import InvalidCommandError
from domain.generation.reference import LANGUAGE_NAMES, TEMPLATE_PROVIDER, provider_named

LENGTHS = {"short": 400, "medium": 800, "long": 1500}
"""Target words of the post by length."""
MAX_INSTRUCTIONS = 4000
MAX_TONE = 100
OFFLINE_LANGUAGES = ("en",)
"""What the offline (template) writer writes blog posts in."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostSettings:
    ai_provider: str = TEMPLATE_PROVIDER
    ai_model: str = ""
    language: str = "en"
    tone: str = ""
    """Empty: the template's tone (or a neutral one)."""
    length: str = "medium"
    custom_instructions: str = ""


def _text(values: Mapping[str, Any], field: str, default: str, high: int) -> str:
    value = values.get(field)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > high:
        raise InvalidCommandError(f"ai_settings.{field} must be text of at most {high} characters")
    return value.strip()


def check_post_settings(values: Mapping[str, Any]) -> PostSettings:
    """The settings `values` asks for, defaults for what it leaves out; InvalidCommandError
    naming the first field that is not acceptable."""
    if not isinstance(values, Mapping):
        raise InvalidCommandError("ai_settings must be an object")
    provider = _text(values, "ai_provider", TEMPLATE_PROVIDER, 50) or TEMPLATE_PROVIDER
    provider_named(provider)
    language = _text(values, "language", "en", 10) or "en"
    if language not in LANGUAGE_NAMES:
        raise InvalidCommandError(
            f"ai_settings.language must be one of {', '.join(LANGUAGE_NAMES)}")
    if provider == TEMPLATE_PROVIDER and language not in OFFLINE_LANGUAGES:
        raise InvalidCommandError(
            f"ai_settings.language: the template writer writes blog posts in"
            f" {', '.join(OFFLINE_LANGUAGES)}; choose an ai_provider for {language!r}")
    length = _text(values, "length", "medium", 20) or "medium"
    if length not in LENGTHS:
        raise InvalidCommandError(f"ai_settings.length must be one of {', '.join(LENGTHS)}")
    return PostSettings(ai_provider=provider, ai_model=_text(values, "ai_model", "", 100),
                        language=language, tone=_text(values, "tone", "", MAX_TONE),
                        length=length, custom_instructions=_text(
                            values, "custom_instructions", "", MAX_INSTRUCTIONS))


def stored_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the post keeps as its `ai_settings`: the checked settings over what was sent."""
    return {**values, **dataclasses.asdict(check_post_settings(values))}

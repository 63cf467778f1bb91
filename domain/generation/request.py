"""A generation request's settings checked against the reference lists, and what one item is
estimated to cost before any work starts."""

import dataclasses
from collections.abc import Mapping
from typing import Any

from domain.errors import InvalidCommandError
from domain.generation.reference import (
    CONTENT_TYPES,
    LANGUAGE_NAMES,
    model_or_default,
    provider_named,
)
from domain.generation.settings import GenerationSettings
from domain.generation.tones import TONES

MAX_SHORT_CHARS = 2_000
MAX_LONG_CHARS = 20_000
MIN_CHARS = 20
MAX_INSTRUCTIONS = 2_000
MAX_TONE_ID = 100
ESTIMATED_INPUT_TOKENS = 600
"""A product's data and the instructions, as a prompt, in tokens (a rough mean)."""
CHARS_PER_TOKEN = 4


def check_settings(values: Mapping[str, Any]) -> GenerationSettings:
    """The settings `values` asks for (missing fields take their defaults); InvalidCommandError
    naming the first field that is not acceptable. A tone that is not built in is taken as the
    organization's custom tone (its existence is the caller's check)."""
    known = {f.name for f in dataclasses.fields(GenerationSettings)}
    given = {k: v for k, v in values.items() if k in known and v is not None}
    try:
        settings = GenerationSettings(**given)
    except TypeError as error:
        raise InvalidCommandError(f"generation settings: {error}") from error
    _check_types(settings)
    provider = provider_named(settings.ai_provider)
    model = model_or_default(provider.id, settings.ai_model)
    if model not in {m.id for m in provider.models}:
        raise InvalidCommandError(
            f"unknown ai_model {model!r} for {provider.id}; choose one of "
            f"{', '.join(m.id for m in provider.models)}")
    content_type = next((c for c in CONTENT_TYPES if c.id == settings.content_type), None)
    if content_type is None:
        raise InvalidCommandError(f"unknown content_type {settings.content_type!r}; choose one of "
                                  f"{', '.join(c.id for c in CONTENT_TYPES)}")
    if settings.content_variant not in content_type.variants:
        raise InvalidCommandError(f"content_variant {settings.content_variant!r} is not one of "
                                  f"{', '.join(content_type.variants)} for {content_type.id}")
    if settings.language not in LANGUAGE_NAMES:
        raise InvalidCommandError(f"unknown language {settings.language!r}; choose one of "
                                  f"{', '.join(LANGUAGE_NAMES)}")
    if not settings.tone.strip() or len(settings.tone) > MAX_TONE_ID:
        raise InvalidCommandError("tone must name a built-in or custom tone")
    if not MIN_CHARS <= settings.max_short_chars <= MAX_SHORT_CHARS:
        raise InvalidCommandError(f"max_short_chars must be from {MIN_CHARS} to {MAX_SHORT_CHARS}")
    if not MIN_CHARS <= settings.max_long_chars <= MAX_LONG_CHARS:
        raise InvalidCommandError(f"max_long_chars must be from {MIN_CHARS} to {MAX_LONG_CHARS}")
    if len(settings.custom_instructions) > MAX_INSTRUCTIONS:
        raise InvalidCommandError(f"custom_instructions must be at most {MAX_INSTRUCTIONS} characters")
    if not (settings.generate_short or settings.generate_long):
        raise InvalidCommandError("generate_short and generate_long cannot both be false")
    return dataclasses.replace(settings, ai_model=model)


def is_built_in_tone(tone: str) -> bool:
    return tone in TONES


def estimated_tokens(settings: GenerationSettings) -> int:
    """Input and output tokens one item is expected to take, for a balance check up front."""
    chars = (settings.max_short_chars if settings.generate_short else 0) + (
        settings.max_long_chars if settings.generate_long else 0) + 300
    return ESTIMATED_INPUT_TOKENS + chars // CHARS_PER_TOKEN


def _check_types(settings: GenerationSettings) -> None:
    defaults = GenerationSettings()
    for field in dataclasses.fields(GenerationSettings):
        value, expected = getattr(settings, field.name), type(getattr(defaults, field.name))
        if isinstance(value, bool) is not (expected is bool) or not isinstance(value, expected):
            raise InvalidCommandError(f"{field.name} must be a {_TYPE_NAMES[expected]}")


_TYPE_NAMES = {bool: "boolean", int: "whole number", str: "string"}

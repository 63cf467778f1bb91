"""One item's copy: prompt, cache, gate, writer, validation. No billing and no events here: the
job that calls `generate_one` charges for `output` (nothing when `output.cached`) and records it
(and keeps the answer in the cache with what it records, see `keep`)."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

import psycopg
import structlog

from adapters.llm.prompt_cache import PromptCache
from adapters.llm.resilience import ProviderGates
from adapters.llm.writers import TextWriter
from domain.generation.prompts import build_prompt, prompt_key
from domain.generation.settings import GenerationSettings, Validation, WriterOutput
from domain.generation.validators import validate

log = structlog.get_logger("copydesk.llm")


async def generate_one(
    *, org_id: UUID, source_data: Mapping[str, Any], settings: GenerationSettings, tone_prompt: str,
    writer: TextWriter, gates: ProviderGates, cache: PromptCache | None = None, use_cache: bool = True,
    keep: bool = True,
) -> tuple[WriterOutput, Validation]:
    """Write and validate one product's copy.

    A remote writer's answer is looked up in the organization's prompt cache first (unless
    `use_cache` is False, as a regeneration wants a fresh text) and kept there afterwards
    (unless `keep` is False: the caller then keeps it itself with `prompt_cache.PUT_SQL`, e.g.
    in the unit of work that records and charges it); the call goes through the provider's
    gate. Raises `ProviderError` subclasses (the item failed, it costs nothing),
    `UnavailableError` while the provider's circuit is open, and `InvalidCommandError` for
    settings the writer cannot serve (a language the template writer does not write). A cache
    that cannot be reached only costs the cache."""
    prompt = build_prompt(source_data, settings, tone_prompt)
    if not writer.remote:
        output = await writer.write(prompt, settings)
        return output, validate(source_data, settings, output.texts)
    key = prompt_key(writer.provider, writer.model, prompt)
    if cache is not None and use_cache:
        cached = await _cached(cache, org_id, key)
        if cached is not None:
            return cached, validate(source_data, settings, cached.texts)
    output = await gates.gate(writer.provider).call(lambda: writer.write(prompt, settings))
    if cache is not None and keep:
        try:
            await cache.put(org_id, key, output)
        except psycopg.Error as error:
            log.warning("prompt_cache_unavailable", org_id=str(org_id), error=type(error).__name__)
    return output, validate(source_data, settings, output.texts)


async def _cached(cache: PromptCache, org_id: UUID, key: str) -> WriterOutput | None:
    try:
        return await cache.get(org_id, key)
    except psycopg.Error as error:
        log.warning("prompt_cache_unavailable", org_id=str(org_id), error=type(error).__name__)
        return None

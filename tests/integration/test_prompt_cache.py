"""The prompt cache on a fresh PostgreSQL: a repeated prompt costs nothing and asks no model."""

import dataclasses
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from adapters.llm import prompt_cache
from adapters.llm.generate import generate_one
from adapters.llm.prompt_cache import PromptCache
from adapters.llm.resilience import ProviderGates, RetryPolicy
from adapters.llm.writers import AnthropicWriter, TemplateWriter, TextWriter
from adapters.settings import Settings
from domain.generation.settings import GeneratedTexts, GenerationSettings, Validation, WriterOutput
from tests.fakes.llm_server import FakeLLM
from tests.support import scalar

PRODUCT = {"name": "Trail Bottle", "brand": "Peakline", "attributes": {"Capacity": "500 ml"}}
SETTINGS = GenerationSettings(language="en")
GATES = ProviderGates(concurrency=4, timeout=10, retry=RetryPolicy(attempts=1))


@pytest.fixture
async def cache(database: Settings) -> AsyncIterator[PromptCache]:
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        database.database_url, min_size=1, max_size=2, kwargs={"autocommit": True}, open=False)
    await pool.open()
    try:
        yield PromptCache(pool)
    finally:
        await pool.close()


async def generate(writer: TextWriter, cache: PromptCache, org_id: UUID,
                   settings: GenerationSettings = SETTINGS,
                   use_cache: bool = True) -> tuple[WriterOutput, Validation]:
    return await generate_one(org_id=org_id, source_data=PRODUCT, settings=settings, tone_prompt="Be clear.",
                              writer=writer, gates=GATES, cache=cache, use_cache=use_cache)


def writer_for(fake: FakeLLM) -> AnthropicWriter:
    return AnthropicWriter(model="claude-haiku-4-5", api_key="k", base_url=fake.url, timeout=10)


async def test_a_repeated_prompt_is_answered_from_the_cache_without_a_request(
        fake_llm: FakeLLM, cache: PromptCache) -> None:
    org = uuid4()
    first, first_validation = await generate(writer_for(fake_llm), cache, org)
    second, second_validation = await generate(writer_for(fake_llm), cache, org)
    assert fake_llm.request_count == 1
    assert not first.cached and second.cached
    assert second == dataclasses.replace(first, cached=True)
    assert second_validation == first_validation


async def test_another_organization_does_not_get_an_answer_it_did_not_pay_for(
        fake_llm: FakeLLM, cache: PromptCache) -> None:
    await generate(writer_for(fake_llm), cache, uuid4())
    other, _ = await generate(writer_for(fake_llm), cache, uuid4())
    assert not other.cached and fake_llm.request_count == 2


async def test_changed_settings_ask_the_model_again(fake_llm: FakeLLM, cache: PromptCache) -> None:
    org = uuid4()
    await generate(writer_for(fake_llm), cache, org)
    changed, _ = await generate(writer_for(fake_llm), cache, org, dataclasses.replace(SETTINGS, tone="luxury",
                                                                                      max_long_chars=500))
    assert not changed.cached and fake_llm.request_count == 2


async def test_a_regeneration_skips_the_cache_and_keeps_the_new_answer(
        fake_llm: FakeLLM, cache: PromptCache, database: Settings) -> None:
    org = uuid4()
    await generate(writer_for(fake_llm), cache, org)
    fake_llm.answer = ('{"name": "Trail Bottle", "short_description": "Trail Bottle, new.", '
                       '"long_description": "<p>Trail Bottle, new.</p>", "meta_title": "Trail Bottle", '
                       '"meta_description": "Trail Bottle, new."}')
    fresh, _ = await generate(writer_for(fake_llm), cache, org, use_cache=False)
    assert not fresh.cached and fake_llm.request_count == 2
    again, _ = await generate(writer_for(fake_llm), cache, org)
    assert again.cached and again.texts.short_description == "Trail Bottle, new."
    assert scalar(database, "SELECT count(*) FROM prompt_cache WHERE org_id = %s", org) == 1


async def test_the_template_writer_is_not_cached(cache: PromptCache, database: Settings) -> None:
    output, _ = await generate(TemplateWriter(), cache, uuid4())
    assert not output.cached and output.provider == "template"
    assert scalar(database, "SELECT count(*) FROM prompt_cache") == 0


async def test_get_and_put_keep_every_field(database: Settings) -> None:
    org = uuid4()
    output = WriterOutput(texts=GeneratedTexts(name="N", short_description="S", long_description="<p>L</p>",
                                               meta_title="T", meta_description="D"),
                          provider="openai", model="gpt-4o", input_tokens=120, output_tokens=45)
    async with await psycopg.AsyncConnection.connect(database.database_url, autocommit=True) as conn:
        assert await prompt_cache.get(conn, org, "k") is None
        await prompt_cache.put(conn, org, "k", output)
        assert await prompt_cache.get(conn, org, "k") == dataclasses.replace(output, cached=True)
        assert await prompt_cache.get(conn, uuid4(), "k") is None


async def test_a_failing_cache_does_not_fail_the_item(fake_llm: FakeLLM, database: Settings) -> None:
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        database.database_url, min_size=1, max_size=1, kwargs={"autocommit": True}, open=False)
    await pool.open()
    async with pool.connection() as conn:
        await conn.execute("ALTER TABLE prompt_cache RENAME TO prompt_cache_gone")
    try:
        output, _ = await generate(writer_for(fake_llm), PromptCache(pool), uuid4())
        assert output.texts.name == "Trail Bottle" and not output.cached
    finally:
        await pool.close()

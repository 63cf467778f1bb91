"""The writers through the real SDKs against the local fake provider: what they send, what they
read back, whose key they use."""

import dataclasses
import json
from uuid import uuid4

import pytest

from adapters.llm.errors import PermanentProviderError
from adapters.llm.generate import generate_one
from adapters.llm.registry import MissingProviderKeyError, choose_writer
from adapters.llm.resilience import ProviderGates, RetryPolicy
from adapters.llm.writers import AnthropicWriter, OpenAICompatibleWriter, TemplateWriter, TextWriter
from adapters.settings import Settings
from domain.errors import InvalidCommandError
from domain.generation.prompts import build_prompt
from domain.generation.settings import GenerationSettings, Validation, WriterOutput
from domain.generation.tones import built_in_tone_prompt
from tests.fakes.llm_server import FakeLLM

PRODUCT = {"sku": "LB-9", "name": "Lumo Desk Lamp", "brand": "Lumo", "categories": ["Home > Lighting"],
           "attributes": {"Colour": "Matt black", "Power": "6 W"}}
SETTINGS = GenerationSettings(language="en", tone="technical")
TONE = built_in_tone_prompt("technical") or ""


def gates() -> ProviderGates:
    return ProviderGates(concurrency=8, timeout=10, retry=RetryPolicy(attempts=1))


async def run(writer: TextWriter,
              settings: GenerationSettings = SETTINGS) -> tuple[WriterOutput, Validation]:
    return await generate_one(org_id=uuid4(), source_data=PRODUCT, settings=settings, tone_prompt=TONE,
                              writer=writer, gates=gates())


def fake_settings(fake: FakeLLM, *, anthropic_api_key: str = "", openai_api_key: str = "",
                  deepseek_api_key: str = "", google_api_key: str = "") -> Settings:
    """Settings whose providers all live on the fake server, with the given platform keys."""
    return Settings(anthropic_base_url=fake.anthropic_base_url, openai_base_url=fake.openai_base_url,
                    deepseek_base_url=fake.openai_base_url, google_base_url=fake.google_base_url,
                    anthropic_api_key=anthropic_api_key, openai_api_key=openai_api_key,
                    deepseek_api_key=deepseek_api_key, google_api_key=google_api_key)


async def test_anthropic_messages_api_is_called_with_the_prompt_model_and_key(fake_llm: FakeLLM) -> None:
    writer = AnthropicWriter(model="claude-haiku-4-5", api_key="sk-ant-one", base_url=fake_llm.url,
                             timeout=10)
    output, validation = await run(writer)
    sent = fake_llm.last_request
    prompt = build_prompt(PRODUCT, SETTINGS, TONE)
    assert (sent.api, sent.path, sent.api_key, sent.model) == ("anthropic", "/v1/messages", "sk-ant-one",
                                                                "claude-haiku-4-5")
    assert sent.system == prompt.system and sent.user == prompt.user
    assert sent.body["max_tokens"] == prompt.max_output_tokens
    assert (output.provider, output.model, output.cached) == ("anthropic", "claude-haiku-4-5", False)
    assert output.input_tokens == len(prompt.system + prompt.user) // 4 and output.output_tokens > 0
    assert output.texts.name == "Lumo Desk Lamp" and "Matt black" in output.texts.long_description
    assert validation == Validation(confidence_score=1.0, reasons=())


async def test_openai_chat_completions_are_called_with_system_and_user_messages(fake_llm: FakeLLM) -> None:
    writer = OpenAICompatibleWriter(provider="openai", model="gpt-4o-mini", api_key="sk-openai-one",
                                    base_url=fake_llm.openai_base_url, timeout=10)
    output, validation = await run(writer)
    sent = fake_llm.last_request
    assert (sent.path, sent.api_key, sent.model) == ("/v1/chat/completions", "sk-openai-one", "gpt-4o-mini")
    assert [m["role"] for m in sent.body["messages"]] == ["system", "user"]
    assert sent.body["response_format"] == {"type": "json_object"}
    assert "max_completion_tokens" in sent.body and "max_tokens" not in sent.body
    assert output.provider == "openai" and output.texts.meta_title == "Lumo Desk Lamp"
    assert validation.confidence_score == 1.0


async def test_deepseek_and_google_go_through_the_openai_compatible_path(fake_llm: FakeLLM) -> None:
    settings = fake_settings(fake_llm, deepseek_api_key="ds-key", google_api_key="g-key")
    output, _ = await run(choose_writer("deepseek", "", None, settings))
    sent = fake_llm.last_request
    assert (sent.path, sent.api_key, sent.model) == ("/v1/chat/completions", "ds-key", "deepseek-chat")
    assert "max_tokens" in sent.body and output.provider == "deepseek"
    output, _ = await run(choose_writer("google", "gemini-2.5-pro", None, settings))
    sent = fake_llm.last_request
    assert (sent.path, sent.api_key, sent.model) == ("/v1beta/openai/chat/completions", "g-key",
                                                     "gemini-2.5-pro")
    assert "response_format" not in sent.body and output.provider == "google"


async def test_an_organizations_own_key_comes_before_the_platform_key(fake_llm: FakeLLM) -> None:
    settings = fake_settings(fake_llm, anthropic_api_key="platform-key")
    await run(choose_writer("anthropic", "", "org-own-key", settings))
    assert fake_llm.last_request.api_key == "org-own-key"
    await run(choose_writer("anthropic", "", None, settings))
    assert fake_llm.last_request.api_key == "platform-key"
    assert fake_llm.last_request.model == "claude-haiku-4-5"


def test_a_provider_without_any_key_is_refused_naming_the_key(fake_llm: FakeLLM) -> None:
    with pytest.raises(MissingProviderKeyError, match=r"no API key for provider 'anthropic'.*"
                       r"ANTHROPIC_API_KEY"):
        choose_writer("anthropic", "claude-opus-4-1", None, fake_settings(fake_llm))
    with pytest.raises(MissingProviderKeyError, match="DEEPSEEK_API_KEY"):
        choose_writer("deepseek", "", "  ", fake_settings(fake_llm))
    assert fake_llm.request_count == 0


async def test_the_template_writer_serves_the_template_provider(fake_llm: FakeLLM) -> None:
    writer = choose_writer("template", "", None, fake_settings(fake_llm))
    assert isinstance(writer, TemplateWriter)
    output, validation = await run(writer)
    assert (output.provider, output.model) == ("template", "template-writer")
    assert output.input_tokens > 0 and output.output_tokens > 0 and validation.confidence_score == 1.0
    assert fake_llm.request_count == 0
    assert isinstance(choose_writer("template", "", "some-key", fake_settings(fake_llm)), TemplateWriter)


def test_an_unknown_provider_is_refused() -> None:
    with pytest.raises(InvalidCommandError, match="unknown ai_provider"):
        choose_writer("acme-ai", "", "key", Settings())


async def test_writers_with_the_same_key_and_model_are_shared(fake_llm: FakeLLM) -> None:
    settings = fake_settings(fake_llm, openai_api_key="k1")
    shared = choose_writer("openai", "gpt-4o", None, settings)
    assert shared is choose_writer("openai", "gpt-4o", None, settings)
    assert choose_writer("openai", "gpt-4o", "k2", settings) is not choose_writer("openai", "gpt-4o", None,
                                                                                  settings)
    assert "k1" not in repr(choose_writer("openai", "gpt-4o", None, settings))


async def test_a_refused_key_is_a_permanent_error_that_does_not_show_the_key(fake_llm: FakeLLM) -> None:
    fake_llm.valid_keys = {"the-right-key"}
    writer = OpenAICompatibleWriter(provider="openai", model="gpt-4o", api_key="sk-wrong-key-123456789",
                                    base_url=fake_llm.openai_base_url, timeout=10)
    with pytest.raises(PermanentProviderError) as refused:
        await run(writer)
    assert str(refused.value) == "openai refused the API key (401)"
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


async def test_an_answer_without_json_copy_is_a_permanent_error(fake_llm: FakeLLM) -> None:
    fake_llm.fail("malformed")
    writer = AnthropicWriter(model="claude-haiku-4-5", api_key="k", base_url=fake_llm.url, timeout=10)
    with pytest.raises(PermanentProviderError, match="answered without the copy asked for"):
        await run(writer)


async def test_invented_facts_in_a_models_answer_lower_its_confidence(fake_llm: FakeLLM) -> None:
    fake_llm.answer = "```json\n" + json.dumps({
        "name": "Lumo Desk Lamp", "short_description": "The best-selling Lumo Desk Lamp uses only 4 W.",
        "long_description": "<p>The Lumo Desk Lamp in matt black.</p>", "meta_title": "Lumo Desk Lamp",
        "meta_description": "Lumo Desk Lamp in matt black."}) + "\n```"
    writer = AnthropicWriter(model="claude-haiku-4-5", api_key="k", base_url=fake_llm.url, timeout=10)
    output, validation = await run(writer, dataclasses.replace(SETTINGS, max_short_chars=40))
    assert output.texts.short_description.startswith("The best-selling")
    assert validation.reasons == (
        "The short description has 46 characters, over the limit of 40.",
        "Numbers not in the product data: 4.", "Claims not in the product data: best-selling.")
    assert validation.confidence_score == 0.1

"""Blog post writers: the offline one and one per kind of API (Anthropic's Messages, OpenAI's
Chat Completions, which DeepSeek and Google speak too), through the same SDK clients, key
choice (the organization's own before the platform's) and error mapping as product copy."""

import dataclasses
from typing import Protocol

import anthropic
import openai

from adapters.llm.errors import PermanentProviderError
from adapters.llm.registry import MissingProviderKeyError, base_url, platform_key
from adapters.llm.writers import AnthropicWriter, OpenAICompatibleWriter
from adapters.settings import Settings
from domain.blog.post_brief import PostBrief, PostDraft
from domain.blog.post_prompt import build_post_prompt, parse_post_answer
from domain.blog.post_writer import write_post
from domain.generation.prompts import MalformedAnswerError
from domain.generation.reference import (
    TEMPLATE_MODEL,
    TEMPLATE_PROVIDER,
    model_or_default,
    provider_named,
)
from domain.generation.template_writer import estimate_tokens


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostOutput:
    draft: PostDraft
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cached: bool = False


class PostWriter(Protocol):
    provider: str
    model: str
    remote: bool

    async def write_post(self, brief: PostBrief) -> PostOutput: ...


class OfflinePostWriter:
    provider = TEMPLATE_PROVIDER
    model = TEMPLATE_MODEL
    remote = False

    async def write_post(self, brief: PostBrief) -> PostOutput:
        draft = write_post(brief)
        system, user, _ = build_post_prompt(brief)
        return PostOutput(draft=draft, provider=self.provider, model=self.model,
                          input_tokens=estimate_tokens(system + user),
                          output_tokens=estimate_tokens(draft.title + draft.content
                                                        + draft.excerpt))


def _draft(provider: str, text: str) -> PostDraft:
    try:
        return parse_post_answer(text)
    except MalformedAnswerError as error:
        raise PermanentProviderError(
            provider, f"{provider} answered without the blog post asked for: {error}") from None


class AnthropicPostWriter(AnthropicWriter):
    async def write_post(self, brief: PostBrief) -> PostOutput:
        system, user, max_tokens = build_post_prompt(brief)
        client: anthropic.AsyncAnthropic = self._client()
        try:
            message = await client.messages.create(
                model=self.model, max_tokens=max_tokens, system=system,
                messages=[{"role": "user", "content": user}])
        except anthropic.APIStatusError as error:
            raise self._status_error(error.status_code, error.body, error.response.headers,
                                     error.message) from None
        except anthropic.APIConnectionError as error:
            raise self._unreachable(isinstance(error, anthropic.APITimeoutError)) from None
        text = "".join(block.text for block in message.content if block.type == "text")
        return PostOutput(draft=_draft(self.provider, text), provider=self.provider,
                          model=self.model, input_tokens=message.usage.input_tokens,
                          output_tokens=message.usage.output_tokens)


class OpenAICompatiblePostWriter(OpenAICompatibleWriter):
    async def write_post(self, brief: PostBrief) -> PostOutput:
        system, user, max_tokens = build_post_prompt(brief)
        client: openai.AsyncOpenAI = self._client()
        native = self.provider == "openai"
        try:
            completion = await client.chat.completions.create(
                model=self.model, messages=[{"role": "system", "content": system},
                                            {"role": "user", "content": user}],
                max_completion_tokens=max_tokens if native else openai.omit,
                max_tokens=openai.omit if native else max_tokens,
                response_format=({"type": "json_object"} if self.provider in ("openai", "deepseek")
                                 else openai.omit))
        except openai.APIStatusError as error:
            raise self._status_error(error.status_code, error.body, error.response.headers,
                                     error.message) from None
        except openai.APIConnectionError as error:
            raise self._unreachable(isinstance(error, openai.APITimeoutError)) from None
        if not completion.choices:
            raise PermanentProviderError(self.provider, f"{self.provider} answered without a choice")
        text = completion.choices[0].message.content or ""
        usage = completion.usage
        return PostOutput(
            draft=_draft(self.provider, text), provider=self.provider, model=self.model,
            input_tokens=usage.prompt_tokens if usage else estimate_tokens(system + user),
            output_tokens=usage.completion_tokens if usage else estimate_tokens(text))


_WRITERS: dict[tuple[str, str, str, str, float], PostWriter] = {}


def choose_post_writer(provider: str, model: str, org_key: str | None,
                       settings: Settings) -> PostWriter:
    """The writer for `provider`/`model`; InvalidCommandError for an unknown provider,
    MissingProviderKeyError for one without any key. Remote writers are shared (their HTTP
    connections are reused)."""
    provider_named(provider)
    if provider == TEMPLATE_PROVIDER:
        return OfflinePostWriter()
    key = (org_key or "").strip() or platform_key(provider, settings).strip()
    if not key:
        raise MissingProviderKeyError(provider)
    spec = (provider, model_or_default(provider, model), key, base_url(provider, settings),
            settings.llm_timeout_seconds)
    writer = _WRITERS.get(spec)
    if writer is None:
        if len(_WRITERS) > 256:
            _WRITERS.clear()
        writer = _WRITERS[spec] = (
            AnthropicPostWriter(model=spec[1], api_key=key, base_url=spec[3], timeout=spec[4])
            if provider == "anthropic" else
            OpenAICompatiblePostWriter(provider=provider, model=spec[1], api_key=key,
                                       base_url=spec[3], timeout=spec[4]))
    return writer

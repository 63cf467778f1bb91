"""Text writers: one per kind of API, each turning a prompt into one product's copy.

Writers only call the model and read its answer; retries, limits and the circuit breaker are
the gate's business (adapters/llm/resilience.py), billing is the job's. The SDK clients are
made lazily, one per event loop (their connection pools belong to a loop), never at import.
"""

import asyncio
import dataclasses
import json
import weakref
from typing import Any, Protocol

import anthropic
import openai

from adapters.llm.errors import (
    PermanentProviderError,
    ProviderError,
    RetryableProviderError,
    classify_status,
    parse_retry_after,
    scrub,
)
from domain.generation.prompts import MalformedAnswerError, Prompt, parse_answer
from domain.generation.reference import TEMPLATE_MODEL, TEMPLATE_PROVIDER
from domain.generation.settings import GeneratedTexts, GenerationSettings, WriterOutput
from domain.generation.template_writer import estimate_tokens, write_with_template


@dataclasses.dataclass(frozen=True)
class Completion:
    """A model's answer to a prompt other than product copy, and what it cost."""

    text: str
    input_tokens: int
    output_tokens: int


class TextWriter(Protocol):
    provider: str
    model: str
    remote: bool
    """Calls a service: goes through the provider's gate, and its answers are cached."""

    async def write(self, prompt: Prompt, settings: GenerationSettings) -> WriterOutput: ...


class RemoteWriter:
    remote = True

    def __init__(self, *, provider: str, model: str, api_key: str, base_url: str, timeout: float) -> None:
        self.provider = provider
        self.model = model
        self.base_url = base_url
        self.timeout = timeout
        self._api_key = api_key
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(provider={self.provider!r}, model={self.model!r})"

    def _client(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = self._make_client()
        return client

    def _make_client(self) -> Any:
        raise NotImplementedError

    async def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        """The model's answer to `user` under `system`; ProviderError subclasses on failure."""
        raise NotImplementedError

    async def write(self, prompt: Prompt, settings: GenerationSettings) -> WriterOutput:
        answer = await self.complete(prompt.system, prompt.user, prompt.max_output_tokens)
        return WriterOutput(texts=self._read(answer.text, settings), provider=self.provider,
                            model=self.model, input_tokens=answer.input_tokens,
                            output_tokens=answer.output_tokens)

    def _read(self, text: str, settings: GenerationSettings) -> GeneratedTexts:
        try:
            return parse_answer(text, settings)
        except MalformedAnswerError as error:
            raise PermanentProviderError(
                self.provider, f"{self.provider} answered without the copy asked for: {error}") from None

    def _status_error(self, status: int, body: object, headers: Any, message: str) -> ProviderError:
        error = body.get("error", body) if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        text = scrub(str(error.get("message") or message), self._api_key)
        code = error.get("code") or error.get("type")
        return classify_status(self.provider, status, text, str(code) if code else None,
                               parse_retry_after(dict(headers.items())))

    def _unreachable(self, timed_out: bool) -> RetryableProviderError:
        what = f"did not answer within {self.timeout:g}s" if timed_out else "could not be reached"
        return RetryableProviderError(self.provider, f"{self.provider} {what}")


class AnthropicWriter(RemoteWriter):
    """Anthropic's Messages API through the official SDK."""

    def __init__(self, *, model: str, api_key: str, base_url: str, timeout: float) -> None:
        super().__init__(provider="anthropic", model=model, api_key=api_key, base_url=base_url,
                         timeout=timeout)

    def _make_client(self) -> anthropic.AsyncAnthropic:
        return anthropic.AsyncAnthropic(api_key=self._api_key, base_url=self.base_url, max_retries=0,
                                        timeout=self.timeout)

    async def complete(self, system: str, user: str, max_tokens: int) -> Completion:
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
        return Completion(text, message.usage.input_tokens, message.usage.output_tokens)


JSON_MODE_PROVIDERS = ("openai", "deepseek")
"""Providers whose Chat Completions take `response_format={"type": "json_object"}`."""


class OpenAICompatibleWriter(RemoteWriter):
    """OpenAI's Chat Completions API through the official SDK; DeepSeek and Google Gemini speak it
    too at their own base URLs, with their own model names."""

    async def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        client: openai.AsyncOpenAI = self._client()
        # OpenAI's newer models take only max_completion_tokens; the compatible APIs know max_tokens
        native = self.provider == "openai"
        tokens = max_tokens
        try:
            completion = await client.chat.completions.create(
                model=self.model, messages=[{"role": "system", "content": system},
                                            {"role": "user", "content": user}],
                max_completion_tokens=tokens if native else openai.omit,
                max_tokens=openai.omit if native else tokens,
                response_format=({"type": "json_object"} if self.provider in JSON_MODE_PROVIDERS
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
        return Completion(
            text, usage.prompt_tokens if usage else estimate_tokens(system + user),
            usage.completion_tokens if usage else estimate_tokens(text))

    def _make_client(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(api_key=self._api_key, base_url=self.base_url, max_retries=0,
                                  timeout=self.timeout)


class TemplateWriter:
    """The offline writer (domain/generation/template_writer.py); tokens are estimated."""

    provider = TEMPLATE_PROVIDER
    model = TEMPLATE_MODEL
    remote = False

    async def write(self, prompt: Prompt, settings: GenerationSettings) -> WriterOutput:
        texts = write_with_template(prompt.facts, settings)
        answer = json.dumps([texts.name, texts.short_description, texts.long_description,
                             texts.meta_title, texts.meta_description], ensure_ascii=False)
        return WriterOutput(texts=texts, provider=self.provider, model=self.model,
                            input_tokens=estimate_tokens(prompt.system + prompt.user),
                            output_tokens=estimate_tokens(answer))

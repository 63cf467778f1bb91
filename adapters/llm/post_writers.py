"""Blog post writers: the offline one and one per kind of API (Anthropic's Messages, OpenAI's
Chat Completions, which DeepSeek and Google speak too), through the same SDK clients, key
choice (the organization's own before the platform's) and error mapping as product copy."""

import dataclasses
from typing import Protocol

from adapters.llm.errors import PermanentProviderError
from adapters.llm.registry import choose_writer
from adapters.llm.writers import RemoteWriter
from adapters.settings import Settings
from domain.blog.post_brief import PostBrief, PostDraft
from domain.blog.post_prompt import build_post_prompt, parse_post_answer
from domain.blog.post_writer import write_post
from domain.generation.prompts import MalformedAnswerError
from domain.generation.reference import TEMPLATE_MODEL, TEMPLATE_PROVIDER
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


class RemotePostWriter:
    """A post through a text model: the SDK writer of product copy asked the post's prompt."""

    remote = True

    def __init__(self, writer: RemoteWriter) -> None:
        self._writer = writer
        self.provider, self.model = writer.provider, writer.model

    async def write_post(self, brief: PostBrief) -> PostOutput:
        system, user, max_tokens = build_post_prompt(brief)
        answer = await self._writer.complete(system, user, max_tokens)
        return PostOutput(draft=_draft(self.provider, answer.text), provider=self.provider,
                          model=self.model, input_tokens=answer.input_tokens,
                          output_tokens=answer.output_tokens)


def choose_post_writer(provider: str, model: str, org_key: str | None,
                       settings: Settings) -> PostWriter:
    """The writer for `provider`/`model`; InvalidCommandError for an unknown provider,
    MissingProviderKeyError for one without any key. Remote writers are shared with product
    copy's (their HTTP connections are reused)."""
    writer = choose_writer(provider, model, org_key, settings)
    if isinstance(writer, RemoteWriter):
        return RemotePostWriter(writer)
    return OfflinePostWriter()

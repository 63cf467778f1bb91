"""A landing page's texts from a text model: the provider a page job was asked for (the
organization's own key before the platform's), its answer read and checked.

A job names its writer in its parameters (`ai_provider`, `ai_model`; the offline page
writer by default). The model writes the intro and the text section; an answer that is not
the object asked for, or that states numbers or claims the products do not, is refused —
the page keeps what it had and nothing is charged.
"""

from typing import Any
from uuid import UUID

from adapters.llm.errors import PermanentProviderError
from adapters.llm.registry import choose_writer, gates_from_settings
from adapters.llm.resilience import ProviderGates
from adapters.llm.writers import Completion, RemoteWriter
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from commands.jobs.kind import JobContext
from domain.errors import InvalidCommandError
from domain.generation.reference import TEMPLATE_PROVIDER, model_or_default, provider_named
from domain.identity.organization import AI_KEY_PROVIDERS
from domain.pages.page_prompt import (
    MAX_OUTPUT_TOKENS,
    MalformedPageAnswerError,
    PageCopy,
    copy_problems,
    page_prompt,
    read_page_answer,
)
from domain.pages.page_writer import PageProduct

MAX_MODEL = 100


def writer_parameters(parameters: dict[str, Any]) -> dict[str, str]:
    """`ai_provider` (a known provider; `template` when absent) and `ai_model` of a page job."""
    provider = parameters.get("ai_provider") or TEMPLATE_PROVIDER
    model = parameters.get("ai_model") or ""
    if not isinstance(provider, str):
        raise InvalidCommandError("ai_provider must be a string")
    if not isinstance(model, str) or len(model) > MAX_MODEL:
        raise InvalidCommandError(f"ai_model must be a string of at most {MAX_MODEL} characters")
    provider_named(provider)
    return {"ai_provider": provider, "ai_model": model_or_default(provider, model)}


async def model_copy(ctx: JobContext, org_id: UUID, parameters: dict[str, str], title: str,
                     query: str, products: list[PageProduct]) -> tuple[PageCopy, Completion]:
    """The model's checked copy for the page; ProviderError subclasses when the provider
    fails, PermanentProviderError when its copy is refused (the reasons named)."""
    provider, model = parameters["ai_provider"], parameters["ai_model"]
    async with ctx.pool.connection() as conn:
        key = (await organization_key(conn, SecretBox(ctx.settings.secret_key), org_id, provider)
               if provider in AI_KEY_PROVIDERS else None)
    writer = choose_writer(provider, model, key, ctx.settings)
    assert isinstance(writer, RemoteWriter), "the offline writer needs no model"
    system, user = page_prompt(title, query, products)
    answer = await _gates(ctx).gate(provider).call(
        lambda: writer.complete(system, user, MAX_OUTPUT_TOKENS))
    try:
        copy = read_page_answer(answer.text)
    except MalformedPageAnswerError as error:
        raise PermanentProviderError(provider, f"{provider} answered without the page's copy:"
                                               f" {error}") from None
    problems = copy_problems(copy, title, query, products)
    if problems:
        raise PermanentProviderError(provider, f"the copy {provider} wrote was refused: "
                                               + "; ".join(problems))
    return copy, answer


def _gates(ctx: JobContext) -> ProviderGates:
    """The process's provider gates (its limit on calls in flight), made on first use."""
    made = _GATES.get(id(ctx))
    if made is None:
        made = _GATES[id(ctx)] = gates_from_settings(ctx.settings)
    return made


_GATES: dict[int, ProviderGates] = {}

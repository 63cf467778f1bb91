"""`blog.generate`: write one blog post from its products, their copy and its template.

Started by creating or regenerating a post; the job's slot is the post's id. One unit
("post"): `run` reads the post's brief (the named items' data and copy, the template),
chooses the writer (the organization's own key before the platform's, the offline writer
for `template`), asks the prompt cache first (not on a regeneration), writes through the
provider's gate, sanitises the HTML and validates the text, outside any transaction.
`record` keeps the text on the post (a new version, a slug free in the project) and charges
its tokens once (reference "<job id>:post") with the unit's outcome, so a unit delivered
twice is neither recorded nor charged twice; a cached answer costs nothing. A failure (a
provider's error, an empty balance) marks the post `generation_failed` and costs nothing.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from adapters.llm.errors import ProviderError
from adapters.llm.post_cache import get_post_answer, put_post_answer
from adapters.llm.post_writers import PostOutput, PostWriter, choose_post_writer
from adapters.llm.registry import gates_from_settings
from adapters.llm.resilience import ProviderGates
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from commands.billing.accounts import ChargeUsage, charge_usage
from commands.blog.posts import (
    GENERATE_KIND,
    WrittenPost,
    record_post_generation,
    record_post_generation_failure,
)
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from domain.blog.html_sanitizer import sanitize_html
from domain.blog.post import BlogPost
from domain.blog.post_brief import PostBrief, PostTemplate, product_of
from domain.blog.post_prompt import build_post_prompt, post_prompt_key
from domain.blog.post_settings import check_post_settings
from domain.blog.post_validation import validate_post
from domain.errors import DomainError, InvalidCommandError
from domain.identity.organization import AI_KEY_PROVIDERS
from domain.jobs.job import Job
from projections.blog.queries import get_template
from projections.catalog.queries import get_items

UNIT_ID = "post"
NO_BALANCE = "insufficient XCT balance"


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Inputs:
    project_id: UUID
    item_ids: tuple[UUID, ...]
    template_id: UUID | None
    fresh: bool
    """A regeneration: the post had a text before, so the model is asked afresh."""
    brief: dict[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Generated:
    written: WrittenPost
    output: PostOutput
    key: str


class PostGenerationKind:
    name = GENERATE_KIND
    conflicts = frozenset({GENERATE_KIND})
    concurrency = 4
    ack_wait = 30.0
    max_attempts = 3

    def __init__(self) -> None:
        self._gates: dict[int, ProviderGates] = {}

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"post": str(UUID(str(parameters.get("post")))),
                    "project": str(UUID(str(parameters.get("project"))))}
        except ValueError:
            raise InvalidCommandError(
                "a blog.generate job is started by creating or regenerating a blog post") from None

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        if str(job.project_id) != job.parameters["post"]:
            raise InvalidCommandError(
                "a blog.generate job is started by creating or regenerating a blog post")
        yield Unit(id=UNIT_ID)

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        post_id = UUID(job.parameters["post"])
        try:
            inputs = await asyncio.to_thread(_inputs, ctx, job.org_id, post_id, job.id)
            brief = await _brief(ctx, job.org_id, inputs)
            async with ctx.pool.connection() as conn:
                provider = brief.settings.ai_provider
                org_key = (await organization_key(conn, SecretBox(ctx.settings.secret_key),
                                                  job.org_id, provider)
                           if provider in AI_KEY_PROVIDERS else None)
            writer = choose_post_writer(provider, brief.settings.ai_model, org_key, ctx.settings)
            output, key = await self._write(ctx, job.org_id, writer, brief, inputs.fresh)
        except (DomainError, ProviderError) as error:
            reason = f"{error.provider}: {error}" if isinstance(error, ProviderError) else str(error)
            return UnitResult(status="failed", error=reason, detail={"post_id": str(post_id)})
        draft = output.draft
        content = sanitize_html(draft.content)
        draft = dataclasses.replace(draft, content=content)
        score, issues = validate_post(brief, draft)
        written = WrittenPost(
            title=" ".join(draft.title.split()), content=content, excerpt=draft.excerpt,
            seo_meta=draft.seo_meta(),
            product_links={p.item_id: p.url for p in brief.products if p.url},
            provider=output.provider, model=output.model, confidence_score=score, issues=issues)
        return UnitResult(detail={"post_id": str(post_id), "provider": output.provider,
                                  "model": output.model, "cached": output.cached,
                                  "confidence_score": score},
                          output=Generated(written=written, output=output, key=key))

    async def _write(self, ctx: JobContext, org_id: UUID, writer: PostWriter, brief: PostBrief,
                     fresh: bool) -> tuple[PostOutput, str]:
        system, user, _ = build_post_prompt(brief)
        key = post_prompt_key(writer.provider, writer.model, system, user)
        if not writer.remote:
            return await writer.write_post(brief), key
        if not fresh:
            try:
                async with ctx.pool.connection() as conn:
                    cached = await get_post_answer(conn, org_id, key)
                if cached is not None:
                    return cached, key
            except psycopg.Error:
                pass  # the cache is only a saving
        gates = self._gates.get(id(ctx))
        if gates is None:
            gates = self._gates[id(ctx)] = gates_from_settings(ctx.settings)
        return await gates.gate(writer.provider).call(lambda: writer.write_post(brief)), key

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None
        post_id = UUID(job.parameters["post"])
        generated = result.output
        if result.status != "succeeded" or not isinstance(generated, Generated):
            self._fail(uow, job, unit, result, result.error or "generation failed")
            return
        output = generated.output
        account = uow.get_existing(BillingAccount, billing_account_id(job.org_id),
                                   "billing account")
        cost = Decimal(0) if output.cached else Decimal(account.quote(
            output.input_tokens + output.output_tokens, output.provider, output.model))
        if not account.can_afford(cost):
            self._fail(uow, job, unit, result, NO_BALANCE)
            return
        record_post_generation(uow, job.org_id, post_id, job.id, generated.written)
        if not output.cached:
            charge_usage(uow, ChargeUsage(
                org_id=job.org_id, provider=output.provider, model=output.model,
                input_tokens=output.input_tokens, output_tokens=output.output_tokens,
                purpose=job.kind, reference_id=f"{job.id}:{unit.id}", content_type="blog_post"))
            if output.provider != "template":
                uow.write_beside(put_post_answer(job.org_id, generated.key, output))
        record_result(job, unit, dataclasses.replace(result, cost=cost, output=None))

    @staticmethod
    def _fail(uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult, reason: str) -> None:
        assert job.org_id is not None
        record_post_generation_failure(uow, job.org_id, UUID(job.parameters["post"]), job.id,
                                       reason)
        record_result(job, unit, dataclasses.replace(result, status="failed", error=reason,
                                                     cost=Decimal(0), output=None))


def _inputs(ctx: JobContext, org_id: UUID, post_id: UUID, job_id: UUID) -> _Inputs:
    post = UnitOfWork(ctx.store).get(BlogPost, post_id)
    post.check_is_live(org_id)
    post.check_generation_is(job_id)
    assert post.project_id is not None
    return _Inputs(project_id=post.project_id,
                   item_ids=tuple(UUID(i) for i in post.source_item_ids),
                   template_id=post.template_id, fresh=post.content_version > 0,
                   brief={"post_type": post.post_type, "topic": post.topic,
                          "ai_settings": post.ai_settings})


async def _brief(ctx: JobContext, org_id: UUID, inputs: _Inputs) -> PostBrief:
    async with ctx.pool.connection() as conn:
        items = await get_items(conn, org_id, inputs.project_id, inputs.item_ids)
        template = (None if inputs.template_id is None
                    else await get_template(conn, org_id, inputs.template_id))
    return PostBrief(
        post_type=inputs.brief["post_type"], topic=inputs.brief["topic"],
        products=tuple(product_of(str(i.id), i.source_data, i.generated_content) for i in items),
        template=None if template is None else PostTemplate(
            name=template.name, tone=template.tone, structure=template.structure,
            custom_instructions=template.custom_instructions),
        settings=check_post_settings(inputs.brief["ai_settings"]))


KIND = PostGenerationKind()

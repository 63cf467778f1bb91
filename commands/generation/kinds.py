"""Generation as jobs: `content.generate`, `content.regenerate`, `content.regenerate-rejected`.

One unit per item (its id; the unit carries the item's source data, so running it reads
nothing per item). `run` chooses the writer (the organization's own key before the platform
key, the template writer when there is none), the tone's prompt, and calls `generate_one`
outside any transaction; a provider error fails the unit with the provider's safe message
and costs nothing. `record` keeps the texts (`record_generation`) and charges the tokens
(`charge_usage`, reference "<job id>:<item id>") in the same unit of work as the unit's
outcome, so a unit delivered twice is neither recorded nor charged twice; a cached answer
costs nothing. A new answer is kept in the prompt cache in that unit of work too, when it is
charged: no query of its own beside the call, and no answer kept that nobody paid for. The
regeneration kinds put each item back to pending in that same unit of work before recording
its new texts, and ask the writer afresh (no cache).

When the balance cannot pay for an item, that item is recorded failed ("insufficient XCT
balance"), costs nothing, and every later unit of the job in this process fails the same way
without calling the writer: the job runs to its end quickly with the rest failed.
"""

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from adapters.llm import prompt_cache
from adapters.llm.errors import ProviderError
from adapters.llm.generate import generate_one
from adapters.llm.prompt_cache import PromptCache
from adapters.llm.registry import choose_writer, gates_from_settings
from adapters.llm.resilience import ProviderGates
from adapters.llm.writers import TextWriter
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from adapters.settings import Settings
from commands.billing.accounts import ChargeUsage, charge_usage
from commands.catalog.access import load_items
from commands.generation.preflight import CheckedGeneration, check_generation_can_start
from commands.generation.results import (
    RecordGeneration,
    RecordGenerationFailure,
    record_generation,
    record_generation_failure,
)
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from domain.billing.tiers import model_tier_for
from domain.catalog.content_item import ContentItem
from domain.catalog.errors import UnknownToneError
from domain.catalog.item_status import ItemStatus
from domain.errors import DomainError, InvalidCommandError
from domain.generation.prompts import build_prompt, prompt_key
from domain.generation.request import check_settings
from domain.generation.settings import GenerationSettings, Validation, WriterOutput
from domain.generation.tones import built_in_tone_prompt
from domain.identity.organization import AI_KEY_PROVIDERS
from domain.jobs.job import Job
from projections.catalog.queries import generation_inputs, get_tone
from projections.jobs.queries import unit_ids_with_outcome

GENERATE = "content.generate"
REGENERATE = "content.regenerate"
REGENERATE_REJECTED = "content.regenerate-rejected"
CATALOG_IMPORT = "catalog.import"
CONFLICTS = frozenset({GENERATE, REGENERATE, REGENERATE_REJECTED, CATALOG_IMPORT})
MAX_ITEM_IDS = 1_500
"""Items a request may name (the job's parameters stay under the job's size limit)."""
NO_BALANCE = "insufficient XCT balance"
SETUP_SECONDS = 30.0
"""How long a process reuses a job's writer and tone prompt before reading them again."""
FORGET_SECONDS = 3600.0
"""What a process keeps per job (its setup, an empty balance) is dropped after this long."""
UNITS_PER_CALL = 2
"""Units a process takes per LLM call it may have in flight. The provider gate holds the calls
to `llm_concurrency`; the units beyond it are fetched, checked and prompted while others call,
and validate and record after theirs, so an LLM slot is held only for the call itself."""


def check_generation_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """{"settings": {...}, "item_ids": [...] (optional)} normalised; InvalidCommandError."""
    settings = check_settings(parameters.get("settings") or {})
    raw_ids = parameters.get("item_ids")
    normalised: dict[str, Any] = {"settings": dataclasses.asdict(settings)}
    if raw_ids is not None:
        if not isinstance(raw_ids, list) or len(raw_ids) > MAX_ITEM_IDS:
            raise InvalidCommandError(f"item_ids must be a list of at most {MAX_ITEM_IDS} ids")
        try:
            normalised["item_ids"] = [str(UUID(str(i))) for i in dict.fromkeys(raw_ids)]
        except ValueError as error:
            raise InvalidCommandError("item_ids must be item ids (UUIDs)") from error
    return normalised


def settings_of(job: JobSpec | Job) -> GenerationSettings:
    return GenerationSettings(**job.parameters["settings"])


@dataclasses.dataclass(frozen=True)
class _Setup:
    writer: TextWriter
    tone_prompt: str
    at: float


@dataclasses.dataclass(frozen=True, kw_only=True)
class Generated:
    """What `run` hands to `record` for one item."""

    output: WriterOutput
    validation: Validation
    prompt_key: str
    keep: bool = False
    """A remote writer's new answer: kept in the prompt cache when it is charged."""


class _Process:
    """What one worker process shares between the units of the generation kinds."""

    def __init__(self, settings: Settings, ctx: JobContext) -> None:
        self.gates: ProviderGates = gates_from_settings(settings)
        self.cache = PromptCache(ctx.pool)
        self.box = SecretBox(settings.secret_key)
        self.setups: dict[UUID, _Setup] = {}
        self.lock = asyncio.Lock()


class GenerationKind:
    """One of the three generation kinds; `statuses` are the items a run takes when the
    request names none, `fresh` marks a regeneration (items back to pending, no cache)."""

    conflicts = CONFLICTS
    ack_wait = 10.0
    max_attempts = 3

    def __init__(self, name: str, statuses: tuple[str, ...], fresh: bool, concurrency: int) -> None:
        self.name = name
        self.statuses = statuses
        self.fresh = fresh
        self.concurrency = concurrency
        self._processes: dict[int, _Process] = {}
        self._broke: dict[UUID, float] = {}
        """Jobs whose organization could not pay for an item (in this process), since when."""

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return check_generation_parameters(parameters)

    async def check_start(self, conn: AsyncConnection[Any], settings: Settings, org_id: UUID,
                          project_id: UUID, parameters: dict[str, Any]) -> None:
        """Before a job is queued through `POST …/jobs`: the generation routes' checks (the
        provider's key, the tone, the items, an XCT balance that pays for an item: 402)."""
        ids = parameters.get("item_ids")
        await check_generation_can_start(conn, SecretBox(settings.secret_key), settings, org_id,
                                         project_id, CheckedGeneration(
            kind=self, parameters=parameters,
            settings=GenerationSettings(**parameters["settings"]),
            item_ids=None if ids is None else [UUID(i) for i in ids]))

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        item_ids = [UUID(i) for i in job.parameters.get("item_ids") or []]
        statuses: tuple[str, ...] = () if "item_ids" in job.parameters else self.statuses
        async with ctx.pool.connection() as conn:
            if self.fresh and not item_ids:  # planning again: keep the items regenerated since
                item_ids = [UUID(u) for u in await unit_ids_with_outcome(conn, job.org_id, job.id)]
            async for chunk in generation_inputs(conn, job.org_id, job.project_id,
                                                 statuses=statuses, item_ids=item_ids):
                for item_id, source_data in chunk:
                    yield Unit(id=str(item_id), data={"source_data": source_data})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        detail: dict[str, Any] = {"item_id": unit.id}
        if job.id in self._broke:
            return UnitResult(status="failed", error=NO_BALANCE, detail=detail)
        process = self._process(ctx)
        settings = settings_of(job)
        setup = await self._setup(ctx, process, job, settings)
        source_data = unit.data.get("source_data") or {}
        try:
            output, validation = await generate_one(
                org_id=job.org_id, source_data=source_data, settings=settings,
                tone_prompt=setup.tone_prompt, writer=setup.writer, gates=process.gates,
                cache=process.cache, use_cache=not self.fresh, keep=False)
        except ProviderError as error:
            return UnitResult(status="failed", error=f"{error.provider}: {error}", detail=detail)
        key = prompt_key(setup.writer.provider, setup.writer.model,
                         build_prompt(source_data, settings, setup.tone_prompt))
        detail.update(provider=output.provider, model=output.model, cached=output.cached,
                      input_tokens=output.input_tokens, output_tokens=output.output_tokens,
                      confidence_score=validation.confidence_score)
        return UnitResult(detail=detail, output=Generated(
            output=output, validation=validation, prompt_key=key,
            keep=setup.writer.remote and not output.cached))

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None and job.project_id is not None
        item_id = UUID(unit.id)
        if self.fresh:
            self._mark_pending(uow, job, item_id)
        generated = result.output
        if result.status != "succeeded" or not isinstance(generated, Generated):
            self._record_failure(uow, job, unit, result)
            return
        output, settings = generated.output, settings_of(job)
        account = uow.get_existing(BillingAccount, billing_account_id(job.org_id), "billing account")
        cost = Decimal(0) if output.cached else account.quote(
            output.input_tokens + output.output_tokens, output.provider, output.model)
        if not account.can_afford(cost):
            now = time.monotonic()
            for old in [j for j, since in self._broke.items() if now - since > FORGET_SECONDS]:
                del self._broke[old]
            self._broke[job.id] = now
            self._record_failure(uow, job, unit, dataclasses.replace(
                result, status="failed", error=NO_BALANCE, output=None))
            return
        recorded = record_generation(uow, RecordGeneration(
            org_id=job.org_id, project_id=job.project_id, item_id=item_id, job_id=job.id,
            texts=output.texts, validation=generated.validation, provider=output.provider,
            model=output.model, tier=model_tier_for(output.provider, output.model),
            input_tokens=output.input_tokens, output_tokens=output.output_tokens,
            xct_cost=cost, cached=output.cached, prompt_key=generated.prompt_key))
        if not recorded:
            cost = Decimal(0)
        elif not output.cached:
            charge_usage(uow, ChargeUsage(
                org_id=job.org_id, provider=output.provider, model=output.model,
                input_tokens=output.input_tokens, output_tokens=output.output_tokens,
                purpose=self.name, reference_id=f"{job.id}:{unit.id}",
                content_type=settings.content_type))
            if generated.keep:
                uow.write_beside(prompt_cache.put_write(job.org_id, generated.prompt_key, output))
        status = ContentItem.status_after_generation(generated.validation.confidence_score)
        record_result(job, unit, dataclasses.replace(
            result, cost=cost, output=None, detail={**result.detail, "status": status}))

    # -- helpers ---------------------------------------------------------------------------

    def _process(self, ctx: JobContext) -> _Process:
        process = self._processes.get(id(ctx))
        if process is None:
            process = self._processes[id(ctx)] = _Process(ctx.settings, ctx)
        return process

    async def _setup(self, ctx: JobContext, process: _Process, job: JobSpec,
                     settings: GenerationSettings) -> _Setup:
        """The job's writer and tone prompt, read once per job (and every SETUP_SECONDS)."""
        setup = process.setups.get(job.id)
        if setup is not None and time.monotonic() - setup.at < SETUP_SECONDS:
            return setup
        async with process.lock:
            setup = process.setups.get(job.id)
            if setup is not None and time.monotonic() - setup.at < SETUP_SECONDS:
                return setup
            async with ctx.pool.connection() as conn:
                org_key = (await organization_key(conn, process.box, job.org_id,
                                                  settings.ai_provider)
                           if settings.ai_provider in AI_KEY_PROVIDERS else None)
                tone_prompt = built_in_tone_prompt(settings.tone)
                if tone_prompt is None:
                    tone = await get_tone(conn, job.org_id, settings.tone)
                    if tone is None:
                        raise UnknownToneError(f"unknown tone {settings.tone!r}")
                    tone_prompt = tone.system_prompt
            writer = choose_writer(settings.ai_provider, settings.ai_model, org_key, ctx.settings)
            now = time.monotonic()
            for old in [j for j, kept in process.setups.items() if now - kept.at > FORGET_SECONDS]:
                del process.setups[old]
            setup = process.setups[job.id] = _Setup(writer, tone_prompt, now)
            return setup

    @staticmethod
    def _mark_pending(uow: UnitOfWork, job: Job, item_id: UUID) -> None:
        assert job.org_id is not None and job.project_id is not None
        try:
            for item in load_items(uow, job.org_id, job.project_id, [item_id]):
                if item.status != ItemStatus.PENDING and not item.excluded:
                    item.mark_for_regeneration(job.created_by)
        except DomainError:
            pass  # gone or excluded meanwhile: recording says so below

    def _record_failure(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None and job.project_id is not None
        error = result.error or "generation failed"
        with contextlib.suppress(DomainError):  # the item is gone: the outcome says it all
            record_generation_failure(uow, RecordGenerationFailure(
                org_id=job.org_id, project_id=job.project_id, item_id=UUID(unit.id),
                job_id=job.id, reason=error))
        record_result(job, unit, dataclasses.replace(result, status="failed", error=error,
                                                     cost=Decimal(0), output=None))


def kinds(settings: Settings) -> list[GenerationKind]:
    """The generation kinds, each taking `UNITS_PER_CALL` units per LLM call slot."""
    concurrency = max(1, settings.llm_concurrency) * UNITS_PER_CALL
    return [
        GenerationKind(GENERATE, (ItemStatus.PENDING,), fresh=False, concurrency=concurrency),
        GenerationKind(REGENERATE, (ItemStatus.GENERATED, ItemStatus.FLAGGED, ItemStatus.APPROVED,
                                    ItemStatus.REJECTED), fresh=True, concurrency=concurrency),
        GenerationKind(REGENERATE_REJECTED, (ItemStatus.REJECTED,), fresh=True,
                       concurrency=concurrency),
    ]

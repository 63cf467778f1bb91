"""What generation jobs tell the catalog: an item's result, its failure, or that items are
to be written again. A result is recorded once per job and item, so a redelivered work
item changes nothing."""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from commands.catalog.access import load_item, load_items
from commands.unit_of_work import UnitOfWork
from domain.generation.settings import GeneratedTexts, Validation


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordGeneration:
    """One item's generated texts; the item decides whether they are flagged.
    `xct_cost` is what the call was charged (0 when `cached`)."""

    org_id: UUID
    project_id: UUID
    item_id: UUID
    job_id: UUID
    texts: GeneratedTexts
    validation: Validation
    provider: str
    model: str
    tier: str
    input_tokens: int
    output_tokens: int
    xct_cost: Decimal
    cached: bool
    prompt_key: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordGenerationFailure:
    org_id: UUID
    project_id: UUID
    item_id: UUID
    job_id: UUID
    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class MarkForRegeneration:
    """Put items back to pending (approved, rejected, flagged, generated or synced ones)."""

    org_id: UUID
    project_id: UUID
    item_ids: Sequence[UUID]
    actor_id: UUID | None = None


def record_generation(uow: UnitOfWork, cmd: RecordGeneration) -> bool:
    """Keep the texts; False (nothing recorded) when this job recorded the item before.
    Also for a project in the trash; NotFoundError when the item, its source or its project
    is gone."""
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id, allow_trashed=True)
    return item.record_generation(
        job_id=cmd.job_id, texts=cmd.texts, validation=cmd.validation, provider=cmd.provider,
        model=cmd.model, tier=cmd.tier, input_tokens=cmd.input_tokens,
        output_tokens=cmd.output_tokens, xct_cost=cmd.xct_cost, cached=cmd.cached,
        prompt_key=cmd.prompt_key,
    )


def record_generation_failure(uow: UnitOfWork, cmd: RecordGenerationFailure) -> bool:
    """Note why the job could not write the item; False when this job recorded it before."""
    item = load_item(uow, cmd.org_id, cmd.project_id, cmd.item_id, allow_trashed=True)
    return item.record_generation_failure(cmd.job_id, cmd.reason)


def mark_for_regeneration(uow: UnitOfWork, cmd: MarkForRegeneration) -> list[UUID]:
    """The ids of the items given (all of them now pending)."""
    items = load_items(uow, cmd.org_id, cmd.project_id, cmd.item_ids)
    for item in items:
        item.mark_for_regeneration(cmd.actor_id)
    return [item.id for item in items]

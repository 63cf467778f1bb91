"""What a generation request must pass before its job is queued: this server runs the kind,
the parameters are sound (`check_generation_request`, no I/O), then the provider can be
called, the tone and the named items exist, and the balance can pay for one item at the
estimated size (`check_generation_can_start`, on a read connection). Each refusal is a
domain error; the job charges what each item really took later."""

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from adapters.llm_keys import check_provider_key
from adapters.secret_box import SecretBox
from adapters.settings import Settings
from commands.jobs.kind import JobKind
from domain.catalog.errors import UnknownToneError
from domain.errors import InsufficientBalanceError, InvalidCommandError, NotFoundError, UnavailableError
from domain.generation.request import estimated_tokens, is_built_in_tone
from domain.generation.settings import GenerationSettings
from domain.jobs.job import Job
from projections.billing.queries import get_balance
from projections.catalog.queries import get_items, get_tone


@dataclasses.dataclass(frozen=True, kw_only=True)
class GenerationRequest:
    """A job of `kind` with the caller's `settings`, for `item_ids` (None: the kind's own
    choice of items)."""

    kind: str
    settings: dict[str, Any]
    item_ids: Sequence[UUID] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class CheckedGeneration:
    """A request that passed the checks needing no I/O: its kind and normalised parameters."""

    kind: JobKind
    parameters: dict[str, Any]
    settings: GenerationSettings
    item_ids: Sequence[UUID] | None


def check_generation_request(kinds: Mapping[str, JobKind],
                             request: GenerationRequest) -> CheckedGeneration:
    """The kind (UnavailableError when this server does not run it) and the parameters it
    stores (InvalidCommandError naming the problem)."""
    kind = kinds.get(request.kind)
    if kind is None:
        raise UnavailableError(f"this server does not run {request.kind} jobs", retry_after=60)
    parameters: dict[str, Any] = {"settings": request.settings}
    if request.item_ids is not None:
        if not request.item_ids:
            raise InvalidCommandError("item_ids must name at least one item when given")
        parameters["item_ids"] = [str(i) for i in request.item_ids]
    parameters = kind.check_parameters(Job.check_parameters(parameters))
    return CheckedGeneration(kind=kind, parameters=parameters,
                             settings=GenerationSettings(**parameters["settings"]),
                             item_ids=request.item_ids)


async def check_generation_can_start(
    conn: AsyncConnection[Any], secret_box: SecretBox, settings: Settings, org_id: UUID,
    project_id: UUID, checked: CheckedGeneration,
) -> None:
    """The provider has a key, the tone and the items exist, the balance pays for an item."""
    wanted = checked.settings
    await check_provider_key(conn, secret_box, settings, org_id, wanted.ai_provider)
    if not is_built_in_tone(wanted.tone) and await get_tone(conn, org_id, wanted.tone) is None:
        raise UnknownToneError(f"unknown tone {wanted.tone!r}: neither built in nor one "
                               "of the organization's custom tones")
    if checked.item_ids is not None:
        found = {row.id for row in await get_items(conn, org_id, project_id, checked.item_ids)}
        missing = [str(i) for i in checked.item_ids if i not in found]
        if missing:
            raise NotFoundError(f"items not found in this project: {', '.join(missing[:5])}")
    balance = await get_balance(conn, org_id)
    if balance is None:
        raise InsufficientBalanceError("the organization has no XCT balance")
    estimate = balance.quote(estimated_tokens(wanted), wanted.ai_provider, wanted.ai_model)
    if not balance.can_afford(estimate):
        raise InsufficientBalanceError(
            f"not enough XCT: about {estimate} needed per item, {balance.total_balance} available")

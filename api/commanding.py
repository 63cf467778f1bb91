"""How a route runs a command: in a worker thread, with the caller as the events' actor,
then (read-your-writes) until the projections the caller reads next have caught up."""

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
import structlog

from api.principal import Principal
from api.services import Services
from commands.bus import Outcome
from commands.unit_of_work import UnitOfWork
from domain.log import EventMeta

C = TypeVar("C")
R = TypeVar("R")

EVENTUAL = "eventual"


def event_meta(request: Any, principal: Principal | None) -> EventMeta:
    request_id = request.state.get("request_id")
    return EventMeta(
        actor_type=principal.actor_type if principal else "anonymous",
        actor_id=str(principal.actor_id) if principal else None,
        request_id=request_id,
        correlation_id=request.headers.get("x-correlation-id") or request_id,
        causation_id=request.headers.get("x-causation-id"),
    )


async def run_command(
    request: Any,
    principal: Principal | None,
    handler: Callable[[UnitOfWork, C], R],
    command: C,
    *,
    wait_for: tuple[str, ...] = (),
    retryable: bool = True,
) -> Outcome[R]:
    """Execute `handler(uow, command)`; answer once `wait_for` projections show its events,
    unless the caller sent `X-Consistency: eventual` (the wait is bounded either way)."""
    services: Services = request.app.state.services
    meta = event_meta(request, principal)
    context = {"command": type(command).__name__,
               "org_id": str(principal.org_id) if principal else None}
    with structlog.contextvars.bound_contextvars(**context):
        outcome = await anyio.to_thread.run_sync(
            lambda: services.bus.execute(handler, command, meta, retryable=retryable)
        )
    if outcome.position:
        request.state["position"] = outcome.position
        eventual = request.headers.get("x-consistency", "").lower() == EVENTUAL
        if wait_for and not eventual:
            await services.positions.wait(wait_for, outcome.position,
                                          services.settings.consistency_wait_seconds)
    return outcome

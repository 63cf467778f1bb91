"""The visual page builder over HTTP: `POST /api/v1/ai-pages/pages/<id>/build` (≡
`/api/ai-pages/pages/<id>/build/`) streams an agent session as SSE — `text` for what the
agent says, `block` for each operation applied (add, update, remove, move), `error` for a
refused operation (`recoverable: true`, the agent is told and goes on) or a failed agent,
and `done` with the page's blocks; `POST …/operations` applies one operation as the user;
`GET …/history` lists every operation with who made it (`user` or `agent`)."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, get, post
from litestar.response import Stream

from adapters.llm.registry import base_url
from adapters.page_agent.claude import ClaudeAgent
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.pages.anthropic_key import anthropic_key
from api.pages.builder_session import Session, events
from api.search.numbers import check_number
from api.sse import sse_response
from commands.pages.builder import (
    ApplyBlockOperation,
    CheckBuildable,
    apply_block_operation,
    check_buildable,
)
from domain.errors import NotFoundError
from domain.pages.builder import BlockOperation
from domain.pages.rule_agent import RuleAgent
from projections.pages.builder_queries import page_history
from projections.pages.landing_queries import get_landing_page

PAGE_PATH = "/api/v1/ai-pages/pages/{page_id:int}"
MAX_MESSAGE = 4000


class BuildIn(msgspec.Struct):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_MESSAGE)]
    agent: Literal["claude", "offline"] | None = None
    """None: Claude when the organization or the platform has an Anthropic key."""


class OperationIn(msgspec.Struct, forbid_unknown_fields=True):
    operation: Literal["add", "update", "remove", "move"]
    block_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    type: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    props: dict[str, Any] | None = None
    position: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None


class OperationOut(msgspec.Struct):
    operation: str
    block_id: str
    block: dict[str, Any] | None
    position: int | None


class EditOut(msgspec.Struct):
    operation: str
    block_id: str
    block_type: str | None
    actor: str
    user_id: UUID | None
    at: datetime


async def _check_page(services: AppServices, caller: Caller, number: int) -> None:
    async with services.pool.connection() as conn:
        if await get_landing_page(conn, caller.org_id, number) is None:
            raise NotFoundError("page not found")


@post(PAGE_PATH + "/build", operation_id="build_page", tags=["pages"], status_code=200,
      summary="Build the page with the agent (SSE)", dependencies=AUTHENTICATED,
      media_type="text/event-stream")
async def build_page(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                     page_id: int, data: BuildIn) -> Stream:
    """Stream a session of the builder's agent working on the page from `message`."""
    number = check_number(page_id, "page")
    await run_command(request, principal, check_buildable,
                      CheckBuildable(org_id=principal.org_id, number=number))
    key = await anthropic_key(services, principal, offline=data.agent == "offline",
                              required=data.agent == "claude", field="agent")
    agent: Any = RuleAgent(data.message)
    if key:
        agent = ClaudeAgent(data.message, api_key=key, base_url=base_url("anthropic", services.settings),
                            timeout=services.settings.llm_timeout_seconds)
    return sse_response(events(Session(request=request, caller=principal, number=number), agent))


@post(PAGE_PATH + "/operations", operation_id="apply_page_operation", tags=["pages"],
      status_code=200, summary="Apply one block operation", dependencies=AUTHENTICATED)
async def apply_operation(request: Request[Any, Any, Any], principal: Caller, page_id: int,
                          data: OperationIn) -> OperationOut:
    """Add, update, remove or move one block as the user; 422 naming the bad field."""
    operation = BlockOperation(operation=data.operation, block_id=data.block_id,
                               block_type=data.type, props=data.props, position=data.position)
    outcome = await run_command(request, principal, apply_block_operation, ApplyBlockOperation(
        org_id=principal.org_id, number=check_number(page_id, "page"), operation=operation,
        actor="user", user_id=principal.user_id), wait_for=("pages",))
    applied = outcome.result
    return OperationOut(operation=data.operation, block_id=applied.block_id,
                        block=applied.block, position=applied.position)


@get(PAGE_PATH + "/history", operation_id="get_page_history", tags=["pages"],
     summary="The page's block operations", dependencies=AUTHENTICATED)
async def read_history(services: AppServices, principal: Caller, page_id: int) -> list[EditOut]:
    """Every block operation on the page, oldest first, with who made it."""
    number = check_number(page_id, "page")
    await _check_page(services, principal, number)
    async with services.pool.connection() as conn:
        rows = await page_history(conn, principal.org_id, number)
    return [EditOut(operation=r.operation, block_id=r.block_id, block_type=r.block_type,
                    actor=r.actor, user_id=r.user_id, at=r.at) for r in rows]


ROUTES = [build_page, apply_operation, read_history]

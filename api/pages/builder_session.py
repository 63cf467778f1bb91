"""One page-builder session: the agent's turns, its tool calls run, and the SSE events.

Every block operation the agent asks for goes through the same command as a user's
(`apply_block_operation`, checked against the block schemas, recorded as an event with
`actor: agent`); a refused one is answered to the agent as a tool error — so it can correct
itself — and reported to the client as a recoverable `error` event. The session ends when the
agent's turn asks for nothing more, after `MAX_TURNS`, or when the agent itself fails.
"""

import dataclasses
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, Protocol

from adapters.embeddings.cached import cache_model, embed_query
from adapters.page_agent.claude import AgentError
from api.auth import Caller
from api.commanding import run_command
from api.dependencies import services_of
from api.sse import sse_event
from commands.pages.builder import ApplyBlockOperation, apply_block_operation
from domain.errors import DomainError
from domain.pages.agent_tools import BLOCK_TOOLS, TOOL_NAMES, AgentTurn, ToolCall, ToolResult
from domain.pages.builder import BlockOperation, with_ids
from projections.pages.landing_queries import get_landing_page
from projections.search.queries import search_products

MAX_TURNS = 10
SEARCH_LIMIT = 12


class Agent(Protocol):
    def turn(self, results: list[ToolResult]) -> Any: ...


@dataclasses.dataclass
class Session:
    request: Any
    caller: Caller
    number: int
    applied: int = 0
    refused: int = 0

    async def read_page(self) -> dict[str, Any]:
        async with services_of(self.request).pool.connection() as conn:
            row = await get_landing_page(conn, self.caller.org_id, self.number)
        if row is None:
            raise DomainError("the page is gone")
        return {"title": row.title, "blocks": with_ids(row.blocks)}

    async def search(self, query: str, max_price: float | None) -> dict[str, Any]:
        services = services_of(self.request)
        async with services.pool.connection() as conn:
            embedder = await services.embedder_of(conn, self.caller.org_id)
            vector = await embed_query(conn, embedder, query)
            hits = await search_products(conn, self.caller.org_id, query, vector,
                                         limit=SEARCH_LIMIT * 4, model=cache_model(embedder))
        cap = None if max_price is None else Decimal(str(max_price))
        found = [h for h in hits if h.sku and (cap is None or (h.price is not None and h.price <= cap))]
        return {"products": [{"sku": h.sku, "name": h.name, "category": h.category,
                              "price": None if h.price is None else format(h.price, "f")}
                             for h in found[:SEARCH_LIMIT]]}

    async def operate(self, call: ToolCall) -> tuple[ToolResult, bytes]:
        args = call.input
        operation = BlockOperation(
            operation=BLOCK_TOOLS[call.name],  # type: ignore[arg-type]
            block_id=_text(args.get("block_id")), block_type=_text(args.get("type")),
            props=args.get("props") if isinstance(args.get("props"), dict) else None,
            position=args.get("position") if isinstance(args.get("position"), int) else None)
        outcome = await run_command(self.request, self.caller, apply_block_operation,
                                    ApplyBlockOperation(org_id=self.caller.org_id,
                                                        number=self.number, operation=operation,
                                                        actor="agent",
                                                        user_id=self.caller.user_id),
                                    wait_for=("pages",))
        applied = outcome.result
        self.applied += 1
        event = {"operation": operation.operation, "block_id": applied.block_id,
                 "block": applied.block, "position": applied.position, "by": "agent"}
        return (ToolResult(call_id=call.id, content={"ok": True, "block_id": applied.block_id}),
                sse_event("block", event))

    async def run(self, call: ToolCall) -> tuple[ToolResult, bytes | None]:
        try:
            if call.name not in TOOL_NAMES:
                raise DomainError(f"there is no tool {call.name!r}")
            if call.name == "read_page":
                return ToolResult(call_id=call.id, content=await self.read_page()), None
            if call.name == "search_products":
                query = _text(call.input.get("query"))
                if not query:
                    raise DomainError("search_products needs a query")
                price = call.input.get("max_price")
                return ToolResult(call_id=call.id, content=await self.search(
                    query[:200], float(price) if isinstance(price, int | float) else None)), None
            return await self.operate(call)
        except DomainError as error:
            self.refused += 1
            return (ToolResult(call_id=call.id, content=str(error), is_error=True),
                    sse_event("error", {"detail": str(error), "tool": call.name,
                                        "recoverable": True}))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


async def events(session: Session, agent: Agent) -> AsyncIterator[bytes]:
    results: list[ToolResult] = []
    try:
        for _ in range(MAX_TURNS):
            turn = agent.turn(results)
            if not isinstance(turn, AgentTurn):
                turn = await turn
            if turn.text:
                yield sse_event("text", {"text": turn.text})
            if not turn.calls:
                break
            results = []
            for call in turn.calls:
                result, event = await session.run(call)
                results.append(result)
                if event is not None:
                    yield event
    except AgentError as error:
        yield sse_event("error", {"detail": str(error), "recoverable": False})
    finally:
        close = getattr(agent, "close", None)
        if close is not None:
            await close()
    try:
        blocks = (await session.read_page())["blocks"]
    except DomainError:
        blocks = []
    yield sse_event("done", {"blocks": blocks, "applied": session.applied,
                             "refused": session.refused})

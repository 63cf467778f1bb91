"""`/api/v1/ai-pages/queries` (≡ `/api/ai-pages/queries/`): the organization's saved
queries (`AIQuery`: a text and an active flag), with integer ids; the active ones are what
landing pages are generated from."""

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, patch, post
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.search.numbers import check_number
from commands.search import queries as handlers
from domain.errors import NotFoundError
from domain.search.saved_queries import MAX_TEXT_LENGTH
from projections.search.segments_queries import QueryRow, get_query, list_queries

WAIT_FOR = ("segments",)
QUERIES_PATH = "/api/v1/ai-pages/queries"
QUERY_PATH = QUERIES_PATH + "/{query_id:int}"
_TEXT = Annotated[str, msgspec.Meta(max_length=MAX_TEXT_LENGTH * 4)]


class QueryIn(msgspec.Struct):
    text: _TEXT
    active: bool = True


class QueryChange(msgspec.Struct):
    """Only the fields given change."""

    text: _TEXT | None = None
    active: bool | None = None


class QueryOut(msgspec.Struct):
    id: int
    text: str
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: QueryRow) -> "QueryOut":
        return cls(id=row.number, text=row.text, active=row.active, created_at=row.created_at,
                   updated_at=row.updated_at)


async def _find(services: AppServices, principal: Caller, number: int) -> QueryOut:
    async with services.pool.connection() as conn:
        row = await get_query(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("query not found")
    return QueryOut.of(row)


@get(QUERIES_PATH, operation_id="list_ai_queries", tags=["search"],
     summary="List saved queries", dependencies=AUTHENTICATED)
async def read_queries(
    services: AppServices, principal: Caller,
    active: Annotated[bool | None, Parameter(description="only active (true) or inactive"
                                                         " (false) queries")] = None,
) -> list[QueryOut]:
    """The organization's saved queries, by id."""
    async with services.pool.connection() as conn:
        return [QueryOut.of(row) for row in await list_queries(conn, principal.org_id, active)]


@post(QUERIES_PATH, operation_id="create_ai_query", tags=["search"], status_code=201,
      summary="Save a query", dependencies=AUTHENTICATED)
async def create_query(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: QueryIn,
) -> QueryOut:
    """Keep a search text under the organization's next query id (active unless said)."""
    outcome = await run_command(request, principal, handlers.save_query, handlers.SaveQuery(
        org_id=principal.org_id, text=data.text, active=data.active), wait_for=WAIT_FOR)
    return await _find(services, principal, outcome.result)


@get(QUERY_PATH, operation_id="get_ai_query", tags=["search"], summary="Get a saved query",
     dependencies=AUTHENTICATED)
async def read_query(services: AppServices, principal: Caller, query_id: int) -> QueryOut:
    """One saved query; 404 when the organization has none by this id."""
    return await _find(services, principal, check_number(query_id, "query"))


@patch(QUERY_PATH, operation_id="update_ai_query", tags=["search"],
       summary="Update a saved query", dependencies=AUTHENTICATED)
async def update_query(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, query_id: int,
    data: QueryChange,
) -> QueryOut:
    """Change the text or the active flag of a saved query."""
    number = check_number(query_id, "query")
    await run_command(request, principal, handlers.change_query, handlers.ChangeQuery(
        org_id=principal.org_id, number=number, text=data.text, active=data.active),
        wait_for=WAIT_FOR)
    return await _find(services, principal, number)


@delete(QUERY_PATH, operation_id="delete_ai_query", tags=["search"],
        summary="Delete a saved query", dependencies=AUTHENTICATED)
async def delete_query(request: Request[Any, Any, Any], principal: Caller, query_id: int) -> None:
    """Delete a saved query; its id is not given out again."""
    await run_command(request, principal, handlers.delete_query, handlers.DeleteQuery(
        org_id=principal.org_id, number=check_number(query_id, "query")), wait_for=WAIT_FOR)


ROUTES = [read_queries, create_query, read_query, update_query, delete_query]

"""Seed 004's page index: `POST /v1/pages/upsert` (one page, or a JSON array of pages, or
JSON Lines, one page a line: one result each, in order, a bad page refusing only itself),
`DELETE /v1/pages/delete` (by `url` or `pageId`; another organization's page is 403 as the
seed says) and, beyond the seed,
`GET /v1/pages/{page_id}`: a page's status and, when embedding failed, why."""

from datetime import datetime
from typing import Annotated, Any, cast

import msgspec
from litestar import Request, Response, delete, get, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.errors import STATUS_OF
from api.json_lines import ANSWER_MEDIA_TYPE, SCOPE_KEY, Line
from api.key_scopes import SCOPE
from api.search.page_limits import count_page_request
from commands.search.pages import (
    DeletePage,
    PageIn,
    Refused,
    Upserted,
    UpsertPages,
    delete_page,
    upsert_pages,
)
from domain.errors import DomainError, MalformedInputError, NotFoundError
from domain.identity.api_key import INDEX
from domain.search.page import MAX_URL_CHARS, Action, check_page_id
from projections.search.page_queries import get_page, page_statuses

WAIT_FOR = ("search",)
MAX_BATCH = 1000
PENDING = "PENDING_VECTORIZATION"
MESSAGES = {
    Action.CREATED: "Page created successfully and queued for vectorization",
    Action.UPDATED_CONTENT: "Page content updated and queued for re-vectorization",
    Action.UPDATED_METADATA: "Page metadata updated; content unchanged, not re-vectorized",
    Action.UNCHANGED: "Page unchanged; nothing was written",
}


class PageBody(msgspec.Struct, forbid_unknown_fields=False):
    url: Annotated[str, msgspec.Meta(max_length=MAX_URL_CHARS)]
    content: str
    title: str | None = None
    metadata: dict[str, Any] | None = None


class UpsertResult(msgspec.Struct):
    page_id: str | None
    status: str
    """The page's status, or REJECTED (a page of a batch that was refused)."""
    action: str | None
    message: str
    error_status: int | None = None
    """The HTTP status the refusal would have had alone."""


class DeleteBody(msgspec.Struct):
    url: str | None = None
    page_id: str | None = msgspec.field(name="pageId", default=None)


class DeleteResult(msgspec.Struct):
    status: str
    message: str
    pageId: str
    url: str


class PageStatus(msgspec.Struct):
    page_id: str
    url: str
    title: str
    status: str
    error: str | None
    attempts: int
    retry_at: datetime | None
    metadata: dict[str, Any]


def _page_in(item: Any) -> PageIn:
    if not isinstance(item, dict):
        raise MalformedInputError("a page must be a JSON object")
    return PageIn(url=item.get("url"), content=item.get("content"), title=item.get("title"),
                  metadata=item.get("metadata"))


def _refused(error: DomainError) -> UpsertResult:
    status = next((code for cls, code in STATUS_OF.items() if isinstance(error, cls)), 400)
    return UpsertResult(page_id=None, status="REJECTED", action=None, message=str(error),
                        error_status=status)


@post("/v1/pages/upsert", operation_id="upsert_pages", tags=["pages"], status_code=202,
      summary="Upsert a page (or a batch of pages)", dependencies=AUTHENTICATED,
      opt={SCOPE_KEY: True, SCOPE: INDEX})
async def upsert(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    data: PageBody | list[Any],
) -> UpsertResult | list[UpsertResult]:
    """Push a page: created, updated_content (embedded again), updated_metadata (not) or
    unchanged (nothing written). A JSON array gives one result per page, in order; a JSON
    Lines body (`application/x-ndjson` or `application/jsonl`) one result line per line, a
    line that is not JSON REJECTED naming it."""
    await count_page_request(services, principal)
    lines: list[Line] | None = request.scope.get(SCOPE_KEY)  # type: ignore[assignment]
    batch = isinstance(data, list)
    items = data if isinstance(data, list) else [msgspec.to_builtins(data)]
    if len(items) > MAX_BATCH:
        raise MalformedInputError(f"a batch holds at most {MAX_BATCH} pages")
    pages: list[PageIn | DomainError] = []
    for index, item in enumerate(items):
        try:
            problem = lines[index][1] if lines else None
            if problem is not None:
                raise MalformedInputError(problem)
            pages.append(_page_in(item))
        except DomainError as error:
            pages.append(error)
    cmd = UpsertPages(org_id=principal.org_id,
                      pages=tuple(p for p in pages if isinstance(p, PageIn)))
    outcome = await run_command(request, principal, upsert_pages, cmd, wait_for=WAIT_FOR)
    done = iter(outcome.result)
    ordered = [page if isinstance(page, DomainError) else next(done) for page in pages]
    async with services.pool.connection() as conn:
        statuses = await page_statuses(conn, principal.org_id, [
            o.page_id for o in ordered if isinstance(o, Upserted)])
    results = [_refused(o) if isinstance(o, DomainError) else _refused(o.error)
               if isinstance(o, Refused) else UpsertResult(
                   page_id=o.page_id, action=str(o.action), message=MESSAGES[o.action],
                   status=statuses.get(o.page_id, PENDING))
               for o in ordered]
    if lines is not None:  # Litestar sends a Response as it is
        return cast(list[UpsertResult], _json_lines(results, lines))
    if batch:
        return results
    if isinstance(ordered[0], Refused):
        raise ordered[0].error
    return results[0]


def _json_lines(results: list[UpsertResult], lines: list[Line]) -> Response[bytes]:
    """One result a line; a refusal names its line."""
    for result, (number, _) in zip(results, lines, strict=True):
        if result.status == "REJECTED" and not result.message.startswith("line "):
            result.message = f"line {number}: {result.message}"
    body = b"".join(msgspec.json.encode(result) + b"\n" for result in results)
    return Response(body, status_code=202, media_type=ANSWER_MEDIA_TYPE)


@delete("/v1/pages/delete", operation_id="delete_page", tags=["pages"], status_code=200,
        summary="Delete a page by URL or page id", dependencies=AUTHENTICATED,
        opt={SCOPE: INDEX})
async def delete_by(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: DeleteBody,
) -> DeleteResult:
    """Delete a page: 400 without `url` and `pageId` or with a malformed id, 404 unknown,
    403 another organization's page."""
    await count_page_request(services, principal)
    if data.page_id is None and not (data.url or "").strip():
        raise MalformedInputError("either 'url' or 'pageId' is required")
    outcome = await run_command(request, principal, delete_page, DeletePage(
        org_id=principal.org_id, page_id=data.page_id, url=data.url), wait_for=WAIT_FOR)
    return DeleteResult(status="success", message="Page deleted successfully",
                        pageId=outcome.result["pageId"], url=outcome.result["url"])


@get("/v1/pages/{page_id:str}", operation_id="get_page", tags=["pages"],
     summary="A page's indexing status", dependencies=AUTHENTICATED, opt={SCOPE: INDEX})
async def read_page(services: AppServices, principal: Caller, page_id: str) -> PageStatus:
    """The page's status (PENDING_VECTORIZATION, PROCESSING, INDEXED or ERROR with the
    reason and the attempts so far); 400 for a malformed id, 404 for an unknown one."""
    await count_page_request(services, principal)
    wanted = check_page_id(page_id)
    async with services.pool.connection() as conn:
        page = await get_page(conn, principal.org_id, wanted)
    if page is None:
        raise NotFoundError("page not found")
    return PageStatus(page_id=page.page_id, url=page.url, title=page.title, status=page.status,
                      error=page.error, attempts=page.attempts, retry_at=page.retry_at,
                      metadata=page.metadata)


ROUTES = [upsert, delete_by, read_page]

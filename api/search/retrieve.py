"""`POST /v1/retrieve` (seed 004's page index): the organization's pages best matching a
query, by meaning and by words (fused by reciprocal rank), among those whose metadata passes
the filters (`projections.search.page_filters`). Rate-limited per key with the upserts."""

from typing import Annotated, Any

import msgspec
from litestar import post

from adapters.embeddings.cached import cache_model, embed_query
from api.auth import AUTHENTICATED, Caller
from api.dependencies import AppServices
from api.key_scopes import SCOPE
from api.search.page_limits import count_page_request
from domain.errors import MalformedInputError
from domain.identity.api_key import INDEX
from projections.search.page_queries import PageHit, retrieve_pages

MAX_QUERY_CHARS = 1000
MAX_TOP_K = 100


class RetrieveBody(msgspec.Struct):
    query: Annotated[str, msgspec.Meta(max_length=MAX_QUERY_CHARS * 4)] | None = None
    top_k: Annotated[int, msgspec.Meta(ge=1, le=MAX_TOP_K)] = 10
    filters: dict[str, Any] | None = None


class RetrievedPage(msgspec.Struct):
    page_id: str
    url: str
    title: str
    score: float
    """Fused score, 0..1 (1: first by meaning and by words)."""
    snippet: str
    metadata: dict[str, Any]

    @classmethod
    def of(cls, hit: PageHit) -> "RetrievedPage":
        return cls(page_id=hit.page_id, url=hit.url, title=hit.title, score=hit.score,
                   snippet=hit.snippet, metadata=hit.metadata)


class Retrieved(msgspec.Struct):
    query: str
    count: int
    results: list[RetrievedPage]


@post("/v1/retrieve", operation_id="retrieve_pages", tags=["pages"], status_code=200,
      summary="Retrieve pages", dependencies=AUTHENTICATED, opt={SCOPE: INDEX})
async def retrieve(services: AppServices, principal: Caller, data: RetrieveBody) -> Retrieved:
    """The `top_k` (1 to 100, default 10) best pages for `query`, each with its url, title,
    score, a snippet and its metadata; `filters` on metadata: equality, `in`, `gt`/`gte`/
    `lt`/`lte` on numbers and ISO dates, `exists`."""
    text = (data.query or "").strip()
    if not text:
        raise MalformedInputError("'query' is required")
    if len(text) > MAX_QUERY_CHARS:
        raise MalformedInputError(f"'query' is longer than {MAX_QUERY_CHARS} characters")
    await count_page_request(services, principal)
    async with services.pool.connection() as conn:
        embedder = await services.embedder_of(conn, principal.org_id)
        vector = await embed_query(conn, embedder, text)
        hits = await retrieve_pages(conn, principal.org_id, text, vector, top_k=data.top_k,
                                    filters=data.filters, model=cache_model(embedder))
    return Retrieved(query=text, count=len(hits), results=[RetrievedPage.of(h) for h in hits])


ROUTES = [retrieve]

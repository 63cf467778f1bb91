"""`GET /api/v1/ai-pages/query` (≡ `/api/ai-pages/query`): semantic product search over the
organization's catalog, by meaning (the query's embedding against the product index) and by
words, fused. 100 requests a minute per organization, then 429 with `Retry-After`; an
embedding provider that cannot serve gives 503 with `Retry-After`. `segment_id` restricts
the search to one of the organization's product segments (404 for any other)."""

import math
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import get
from litestar.exceptions import TooManyRequestsException
from litestar.params import Parameter

from adapters.embeddings.cached import cache_model, embed_query
from adapters.postgres import rate_windows
from api.auth import AUTHENTICATED, Caller
from api.dependencies import AppServices
from api.search.numbers import check_number
from domain.errors import MalformedInputError, NotFoundError
from projections.search.queries import ProductHit, search_products
from projections.search.segments_queries import get_segment

REQUESTS_PER_MINUTE = 100
MAX_QUERY_CHARS = 1000
MAX_LIMIT = 100


class ProductResult(msgspec.Struct):
    product_id: UUID
    sku: str | None
    name: str
    score: float
    price: str | None
    image_url: str | None
    url: str | None
    category: str | None
    project_id: UUID | None
    status: str

    @classmethod
    def of(cls, hit: ProductHit) -> "ProductResult":
        return cls(product_id=hit.item_id, sku=hit.sku, name=hit.name, score=hit.score,
                   price=_price(hit.price), image_url=hit.image_url, url=hit.url,
                   category=hit.category, project_id=hit.project_id, status=hit.status)


class QueryResults(msgspec.Struct):
    query: str
    count: int
    results: list[ProductResult]


def _price(price: Decimal | None) -> str | None:
    return None if price is None else format(price, "f")


@get("/api/v1/ai-pages/query", operation_id="query_products", tags=["search"],
     summary="Semantic product search", dependencies=AUTHENTICATED)
async def query_products(
    services: AppServices, principal: Caller,
    q: Annotated[str | None, Parameter(description="natural-language search query")] = None,
    limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="most results")] = 20,
    segment_id: Annotated[int | None, Parameter(description="only products of this segment")]
    = None,
) -> QueryResults:
    """The organization's products closest to `q`, best first, with a 0..1 score."""
    text = (q or "").strip()
    if not text:
        raise MalformedInputError("query parameter 'q' is required")
    if len(text) > MAX_QUERY_CHARS:
        raise MalformedInputError(f"query parameter 'q' is longer than {MAX_QUERY_CHARS} characters")
    async with services.pool.connection() as conn:
        segment = None
        if segment_id is not None:
            found = await get_segment(conn, principal.org_id, check_number(segment_id, "segment"))
            if found is None:
                raise NotFoundError("segment not found")
            segment = found.rule
        count, reset_in = await rate_windows.count_request(
            conn, f"ai-pages-query:{principal.org_id}")
        if count > REQUESTS_PER_MINUTE:
            raise TooManyRequestsException(
                f"more than {REQUESTS_PER_MINUTE} searches a minute; try again later",
                headers={"Retry-After": str(max(1, math.ceil(reset_in)))})
        embedder = await services.embedder_of(conn, principal.org_id)
        vector = await embed_query(conn, embedder, text)
        hits = await search_products(conn, principal.org_id, text, vector, limit=limit,
                                    segment=segment, model=cache_model(embedder))
    return QueryResults(query=text, count=len(hits), results=[ProductResult.of(h) for h in hits])


ROUTES = [query_products]

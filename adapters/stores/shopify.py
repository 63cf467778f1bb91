"""Shopify's GraphQL Admin API: `X-Shopify-Access-Token`, one endpoint, a cost budget per
shop (`extensions.cost.throttleStatus`): a THROTTLED answer is waited out (by the points
missing and the restore rate) and sent again; `userErrors` are the mutation's refusals."""

from typing import Any

import anyio
import structlog

from adapters.stores.http import StoreError, StoreHttp, refused

log = structlog.get_logger("copydesk.stores.shopify")
API_VERSION = "2025-01"
THROTTLE_RETRIES = 5


class ShopifyClient:
    platform = "shopify"

    def __init__(self, http: StoreHttp, base_url: str, credentials: dict[str, str]) -> None:
        self.http, self.base_url = http, base_url
        self.token = credentials.get("access_token", "")

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The `data` of the answer; StoreError for a transport or GraphQL error."""
        url = f"{self.base_url}/admin/api/{API_VERSION}/graphql.json"
        for _ in range(THROTTLE_RETRIES + 1):
            reply = await self.http.request(
                "POST", url, headers={"X-Shopify-Access-Token": self.token},
                body={"query": query, "variables": variables or {}})
            if not 200 <= reply.status < 300:
                raise refused(reply, "Shopify")
            answer = reply.json()
            errors = answer.get("errors") if isinstance(answer, dict) else None
            if errors and _throttled(errors):
                wait = _throttle_wait(answer)
                log.info("shopify_throttled", wait_seconds=wait)
                await anyio.sleep(wait)
                continue
            if errors:
                raise StoreError(f"Shopify: {_messages(errors)}")
            return answer.get("data") or {}
        raise StoreError("Shopify: still throttled after several waits")

    async def shop_name(self) -> str:
        data = await self.graphql("{ shop { name } }")
        return str((data.get("shop") or {}).get("name") or "")


def _throttled(errors: Any) -> bool:
    return any(isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED"
               for e in errors)


def _messages(errors: Any) -> str:
    if isinstance(errors, list):
        return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                         for e in errors)[:300]
    return str(errors)[:300]


def _throttle_wait(answer: dict[str, Any]) -> float:
    """Seconds until the points the query needs are restored (1 s when not told)."""
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        missing = float(cost.get("requestedQueryCost", 0)) - float(
            status.get("currentlyAvailable", 0))
        rate = float(status.get("restoreRate", 0))
        return min(max(missing / rate, 0.05), 10.0) if rate > 0 else 1.0
    except (TypeError, ValueError):
        return 1.0


PRODUCT_FIELDS = ("id title handle descriptionHtml vendor productType tags status"
                  " seo { title description } variants(first: 100) { nodes { id sku price"
                  " title selectedOptions { name value } } }")
PRODUCTS = ("query($first: Int!, $after: String, $query: String) { products(first: $first,"
            " after: $after, query: $query) { nodes { " + PRODUCT_FIELDS + " }"
            " pageInfo { hasNextPage endCursor } } }")
COUNT = "query($query: String) { productsCount(query: $query) { count } }"
COLLECTIONS = "{ collections(first: 100) { nodes { id title handle } } }"
FILTERS = {"collection": "collection_id", "product_type": "product_type", "vendor": "vendor",
           "status": "status", "tag": "tag"}
STATUSES = ["active", "draft", "archived"]


def search_query(filters: dict[str, str]) -> str:
    """Shopify's product search syntax for the filters (`status:active vendor:'Acme'`)."""
    terms = []
    for key, value in filters.items():
        if key == "collection":
            value = value.rsplit("/", 1)[-1]
        escaped = value.replace("\\", "\\\\").replace("'", "\\'")
        terms.append(f"{FILTERS[key]}:'{escaped}'")
    return " ".join(terms)


async def shopify_filters(client: ShopifyClient) -> dict[str, list[Any]]:
    data = await client.graphql(COLLECTIONS)
    collections = [{"id": c.get("id"), "title": c.get("title")}
                   for c in (data.get("collections") or {}).get("nodes") or []]
    return {"collection": collections, "status": STATUSES, "product_type": [], "vendor": [],
            "tag": []}


async def shopify_count(client: ShopifyClient, filters: dict[str, str]) -> int:
    data = await client.graphql(COUNT, {"query": search_query(filters) or None})
    return int((data.get("productsCount") or {}).get("count") or 0)


async def shopify_products(client: ShopifyClient, filters: dict[str, str],
                           page_size: int = 50) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        data = await client.graphql(PRODUCTS, {"first": page_size, "after": after,
                                               "query": search_query(filters) or None})
        page = data.get("products") or {}
        found.extend(page.get("nodes") or [])
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage") or not info.get("endCursor"):
            return found
        after = str(info["endCursor"])

"""WooCommerce REST v3: HTTP Basic with the consumer key and secret, `page`/`per_page`
paging with `X-WP-TotalPages`, `products/batch` for up to 100 updates (per-item errors in a
200)."""

from typing import Any

from adapters.stores.http import StoreHttp, StoreReply, refused

API = "/wp-json/wc/v3"


class WooCommerceClient:
    platform = "woocommerce"

    def __init__(self, http: StoreHttp, base_url: str, credentials: dict[str, str]) -> None:
        self.http, self.base_url = http, base_url
        self.auth = (credentials.get("consumer_key", ""), credentials.get("consumer_secret", ""))

    async def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                   body: object = None) -> StoreReply:
        reply = await self.http.request(method, f"{self.base_url}{API}{path}", headers={},
                                        params=params, body=body, auth=self.auth)
        if not 200 <= reply.status < 300:
            raise refused(reply, "WooCommerce")
        return reply

    async def shop_name(self) -> str:
        await self.call("GET", "/products", params={"per_page": 1})  # checks the credentials
        reply = await self.http.request("GET", f"{self.base_url}/wp-json", headers={})
        found = reply.json() if 200 <= reply.status < 300 else {}
        return str(found.get("name") or "") if isinstance(found, dict) else ""


FILTERS = ("category", "status")
STATUSES = ["publish", "draft", "pending", "private"]
PAGE_SIZE = 100


async def woo_pages(client: WooCommerceClient, path: str,
                    params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a list (`page`/`per_page`, until `X-WP-TotalPages`)."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        reply = await client.call("GET", path, params={**params, "per_page": PAGE_SIZE,
                                                       "page": page})
        items = reply.json()
        if isinstance(items, list):
            found.extend(i for i in items if isinstance(i, dict))
        try:
            pages = int(reply.headers.get("x-wp-totalpages", "1"))
        except ValueError:
            pages = 1
        if page >= pages or not items:
            return found
        page += 1


async def woo_filters(client: WooCommerceClient) -> dict[str, list[Any]]:
    categories = await woo_pages(client, "/products/categories", {})
    return {"category": [{"id": c.get("id"), "name": c.get("name")} for c in categories],
            "status": STATUSES}


async def woo_count(client: WooCommerceClient, filters: dict[str, str]) -> int:
    reply = await client.call("GET", "/products", params={**filters, "per_page": 1})
    try:
        return int(reply.headers.get("x-wp-total", "0"))
    except ValueError:
        return 0


async def woo_products(client: WooCommerceClient,
                       filters: dict[str, str]) -> list[dict[str, Any]]:
    """The products, each variable one followed by its variations (`parent_id` set)."""
    found: list[dict[str, Any]] = []
    for product in await woo_pages(client, "/products", dict(filters)):
        found.append(product)
        if product.get("type") == "variable":
            for variation in await woo_pages(client, f"/products/{product['id']}/variations", {}):
                found.append({**variation, "type": "variation", "parent_id": product["id"]})
    return found

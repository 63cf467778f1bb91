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

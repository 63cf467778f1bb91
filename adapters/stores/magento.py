"""Magento 2 REST: a bearer token (an integration's access token), `searchCriteria` paging,
`PUT /rest/{store}/V1/products/{sku}` (`all`: the global value; a store code: that store
view's)."""

from typing import Any
from urllib.parse import quote

from adapters.stores.http import StoreHttp, StoreReply, refused


class MagentoClient:
    platform = "magento2"

    def __init__(self, http: StoreHttp, base_url: str, credentials: dict[str, str]) -> None:
        self.http, self.base_url = http, base_url
        self.token = credentials.get("access_token", "")

    async def call(self, method: str, path: str, *, store: str = "V1",
                   params: dict[str, Any] | None = None, body: object = None) -> StoreReply:
        prefix = "/rest/V1" if store == "V1" else f"/rest/{quote(store, safe='')}/V1"
        reply = await self.http.request(
            method, f"{self.base_url}{prefix}{path}",
            headers={"Authorization": f"Bearer {self.token}"}, params=params, body=body)
        if not 200 <= reply.status < 300:
            raise refused(reply, "Magento")
        return reply

    async def shop_name(self) -> str:
        groups = (await self.call("GET", "/store/storeGroups")).json()
        if isinstance(groups, list) and groups and isinstance(groups[0], dict):
            return str(groups[0].get("name") or "")
        return ""

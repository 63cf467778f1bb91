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


FILTERS = {"category_id": "category_id", "status": "status", "type": "type_id"}
PAGE_SIZE = 100


def criteria(filters: dict[str, str], page: int, size: int) -> dict[str, Any]:
    params: dict[str, Any] = {"searchCriteria[pageSize]": size,
                              "searchCriteria[currentPage]": page}
    for n, (key, value) in enumerate(filters.items()):
        group = f"searchCriteria[filter_groups][{n}][filters][0]"
        params |= {f"{group}[field]": FILTERS[key], f"{group}[value]": value,
                   f"{group}[condition_type]": "eq"}
    return params


async def magento_filters(client: MagentoClient) -> dict[str, list[Any]]:
    found = (await client.call("GET", "/categories/list", params=criteria({}, 1, 200))).json()
    items = found.get("items") if isinstance(found, dict) else None
    return {"category_id": [{"id": c.get("id"), "name": c.get("name")} for c in items or []],
            "status": [1, 2], "type": ["simple", "configurable"]}


async def magento_count(client: MagentoClient, filters: dict[str, str]) -> int:
    found = (await client.call("GET", "/products", params=criteria(filters, 1, 1))).json()
    return int(found.get("total_count") or 0) if isinstance(found, dict) else 0


async def magento_products(client: MagentoClient,
                           filters: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = (await client.call("GET", "/products",
                                    params=criteria(filters, page, PAGE_SIZE))).json()
        items = answer.get("items") if isinstance(answer, dict) else None
        found.extend(i for i in items or [] if isinstance(i, dict))
        if not items or page * PAGE_SIZE >= int(answer.get("total_count") or 0):
            return found
        page += 1

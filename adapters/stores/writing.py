"""Writing items' content to a store, per platform: Shopify `productUpdate` (one product a
call, its cost budget honoured by the client), WooCommerce `products/batch` (at most 100 a
call, per-item failures inside a 200; variations through their product's batch), Magento
`PUT /rest/<store view>/V1/products/<sku>` with `custom_attributes`. Every item gets its
own outcome; a store error fails the items of that call only."""

import dataclasses
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from adapters.stores.http import StoreError
from adapters.stores.magento import MagentoClient
from adapters.stores.reading import Client
from adapters.stores.shopify import ShopifyClient
from adapters.stores.woocommerce import WooCommerceClient

WOO_BATCH = 100
PRODUCT_UPDATE = (
    "mutation($product: ProductUpdateInput!) { productUpdate(product: $product) {"
    " product { id descriptionHtml seo { title description } } userErrors { field message } } }")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductUpdate:
    key: str
    store_id: str
    parent_store_id: str
    sku: str
    content: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Written:
    success: bool
    error: str | None = None
    reply_id: str | None = None


def _long(content: dict[str, str]) -> str:
    return content.get("long_description") or content.get("description") or ""


async def write_products(client: Client, updates: Sequence[ProductUpdate],
                         store_view: str = "all") -> dict[str, Written]:
    if isinstance(client, ShopifyClient):
        return {u.key: await _shopify(client, u) for u in updates}
    if isinstance(client, WooCommerceClient):
        return await _woo(client, updates)
    return {u.key: await _magento(client, u, store_view) for u in updates}


async def _shopify(client: ShopifyClient, update: ProductUpdate) -> Written:
    if update.parent_store_id:
        return Written(False, "a Shopify variant has no description of its own: sync its product")
    product: dict[str, Any] = {"id": update.store_id}
    if _long(update.content):
        product["descriptionHtml"] = _long(update.content)
    seo = {k: update.content[f"meta_{k}"] for k in ("title", "description")
           if update.content.get(f"meta_{k}")}
    if seo:
        product["seo"] = seo
    try:
        data = await client.graphql(PRODUCT_UPDATE, {"product": product})
    except StoreError as error:
        return Written(False, str(error))
    answer = data.get("productUpdate") or {}
    errors = answer.get("userErrors") or []
    if errors:
        return Written(False, "; ".join(str(e.get("message")) for e in errors)[:500])
    return Written(True, reply_id=str((answer.get("product") or {}).get("id") or update.store_id))


async def _woo(client: WooCommerceClient, updates: Sequence[ProductUpdate]) -> dict[str, Written]:
    results: dict[str, Written] = {}
    groups: dict[str, list[ProductUpdate]] = {}
    for update in updates:
        groups.setdefault(update.parent_store_id, []).append(update)
    for parent, group in groups.items():
        path = f"/products/{quote(parent, safe='')}/variations/batch" if parent else "/products/batch"
        for start in range(0, len(group), WOO_BATCH):
            chunk = group[start:start + WOO_BATCH]
            by_id = {u.store_id: u for u in chunk}
            body = {"update": [{"id": int(u.store_id) if u.store_id.isdigit() else u.store_id,
                                **({"description": _long(u.content)} if _long(u.content) else {}),
                                **({"short_description": u.content["short_description"]}
                                   if u.content.get("short_description") else {})}
                               for u in chunk]}
            try:
                answer = (await client.call("POST", path, body=body)).json()
            except StoreError as error:
                results |= {u.key: Written(False, str(error)) for u in chunk}
                continue
            for entry in (answer.get("update") if isinstance(answer, dict) else None) or []:
                found_id = str(entry.get("id"))
                if found_id not in by_id:
                    continue
                update = by_id.pop(found_id)
                failure = entry.get("error")
                results[update.key] = (Written(False, str(failure.get("message") or failure))
                                       if isinstance(failure, dict)
                                       else Written(True, reply_id=str(entry.get("id"))))
            results |= {u.key: Written(False, "the store did not answer for this product")
                        for u in by_id.values()}
    return results


async def _magento(client: MagentoClient, update: ProductUpdate, store_view: str) -> Written:
    attributes = [{"attribute_code": code, "value": value} for code, value in (
        ("description", _long(update.content)),
        ("short_description", update.content.get("short_description", "")),
        ("meta_title", update.content.get("meta_title", "")),
        ("meta_description", update.content.get("meta_description", ""))) if value]
    try:
        answer = (await client.call(
            "PUT", f"/products/{quote(update.sku, safe='')}", store=store_view,
            body={"product": {"sku": update.sku, "custom_attributes": attributes}})).json()
    except StoreError as error:
        return Written(False, str(error))
    return Written(True, reply_id=str(answer.get("id") if isinstance(answer, dict) else "")
                   or update.sku)

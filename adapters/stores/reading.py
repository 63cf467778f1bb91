"""What an import asks of a store, whatever its platform: the filter choices it offers, how
many products match, and the matching products as `ProductRecord`s."""

from typing import Any

from adapters.stores import magento, shopify, woocommerce
from adapters.stores.magento import MagentoClient
from adapters.stores.records import magento_records, shopify_records, woocommerce_records
from adapters.stores.shopify import ShopifyClient
from adapters.stores.woocommerce import WooCommerceClient
from domain.catalog.records import ProductRecord
from domain.errors import InvalidCommandError

Client = ShopifyClient | WooCommerceClient | MagentoClient
FILTER_KEYS: dict[str, tuple[str, ...]] = {
    "shopify": tuple(shopify.FILTERS), "woocommerce": woocommerce.FILTERS,
    "magento2": tuple(magento.FILTERS)}
PAGE_SIZES = {"shopify": 50, "woocommerce": woocommerce.PAGE_SIZE,
              "magento2": magento.PAGE_SIZE}
MAX_FILTER_LENGTH = 200


def check_filters(platform: str, filters: dict[str, Any]) -> dict[str, str]:
    """The filters as text, 422 naming a key the platform does not filter by or a value
    that is not a short string or number (empty values are left out)."""
    keys = FILTER_KEYS[platform]
    checked: dict[str, str] = {}
    for key, value in filters.items():
        if key not in keys:
            raise InvalidCommandError(f"filters.{key}: a {platform} store filters by"
                                      f" {', '.join(keys)}")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidCommandError(f"filters.{key} must be a string or a number")
        text = str(value).strip()
        if len(text) > MAX_FILTER_LENGTH:
            raise InvalidCommandError(f"filters.{key} is longer than {MAX_FILTER_LENGTH}")
        if text:
            checked[key] = text
    return checked


async def store_filters(client: Client) -> dict[str, list[Any]]:
    if isinstance(client, ShopifyClient):
        return await shopify.shopify_filters(client)
    if isinstance(client, WooCommerceClient):
        return await woocommerce.woo_filters(client)
    return await magento.magento_filters(client)


async def store_count(client: Client, filters: dict[str, str]) -> int:
    if isinstance(client, ShopifyClient):
        return await shopify.shopify_count(client, filters)
    if isinstance(client, WooCommerceClient):
        return await woocommerce.woo_count(client, filters)
    return await magento.magento_count(client, filters)


async def store_records(client: Client, filters: dict[str, str]) -> list[ProductRecord]:
    if isinstance(client, ShopifyClient):
        return list(shopify_records(await shopify.shopify_products(client, filters)))
    if isinstance(client, WooCommerceClient):
        return list(woocommerce_records(await woocommerce.woo_products(client, filters)))
    return list(magento_records(await magento.magento_products(client, filters)))

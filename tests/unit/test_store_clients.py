"""The store clients against the local fake stores: a 429's Retry-After is waited out, a
slow store hits the deadline, Shopify's THROTTLED is waited out by its restore rate,
private addresses are refused, and each platform's products read back as records."""

import asyncio
import time
from collections.abc import Iterator

import pytest

from adapters.outbound_urls import OutboundPolicy
from adapters.stores.http import StoreError, StoreHttp
from adapters.stores.magento import MagentoClient
from adapters.stores.reading import check_filters, store_records
from adapters.stores.shopify import ShopifyClient, _throttle_wait
from adapters.stores.woocommerce import WooCommerceClient
from domain.errors import InvalidCommandError
from tests.fakes.store_catalogs import magento_products, shopify_products, woo_products
from tests.fakes.store_servers import (
    MAGENTO_TOKEN,
    SHOPIFY_TOKEN,
    WOO_KEY,
    WOO_SECRET,
    FakeStores,
    running_fake_stores,
)

LOCAL = OutboundPolicy(allow_loopback=True, timeout_seconds=5.0)


@pytest.fixture
def fake() -> Iterator[FakeStores]:
    with running_fake_stores() as stores:
        stores.state.shopify_products.extend(shopify_products())
        products, variations = woo_products()
        stores.state.woo_products.extend(products)
        stores.state.woo_variations.update(variations)
        stores.state.magento_products.extend(magento_products())
        yield stores


def test_a_429_is_waited_out_as_its_retry_after_says(fake: FakeStores) -> None:
    fake.state.rate_limit_next = 1
    client = WooCommerceClient(StoreHttp(LOCAL), fake.url,
                               {"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET})
    began = time.monotonic()
    assert asyncio.run(client.shop_name()) == "Fake Woo Shop"
    assert time.monotonic() - began >= 1.0  # Retry-After: 1
    assert [r.path for r in fake.state.received][:2] == ["/wp-json/wc/v3/products"] * 2


def test_a_slow_store_fails_at_the_deadline(fake: FakeStores) -> None:
    fake.state.delay_seconds = 2.0
    client = MagentoClient(StoreHttp(OutboundPolicy(allow_loopback=True, timeout_seconds=0.5)),
                           fake.url, {"access_token": MAGENTO_TOKEN})
    began = time.monotonic()
    with pytest.raises(StoreError, match=r"did not answer within 0\.5 seconds"):
        asyncio.run(client.shop_name())
    assert time.monotonic() - began < 1.5


def test_shopify_throttled_answers_are_waited_out(fake: FakeStores) -> None:
    fake.state.throttle_next = 2
    client = ShopifyClient(StoreHttp(LOCAL), fake.url, {"access_token": SHOPIFY_TOKEN})
    assert asyncio.run(client.shop_name()) == "Fake Shopify Shop"
    assert len(fake.state.received) == 3
    assert _throttle_wait({"extensions": {"cost": {
        "requestedQueryCost": 100, "throttleStatus": {"currentlyAvailable": 50,
                                                      "restoreRate": 50}}}}) == 1.0


def test_a_private_address_is_refused_before_any_call() -> None:
    client = MagentoClient(StoreHttp(OutboundPolicy()), "http://10.1.2.3:8080",
                           {"access_token": MAGENTO_TOKEN})
    with pytest.raises(StoreError, match="private"):
        asyncio.run(client.shop_name())


def test_each_platforms_products_read_back_as_records(fake: FakeStores) -> None:
    http = StoreHttp(LOCAL)
    shopify = asyncio.run(store_records(
        ShopifyClient(http, fake.url, {"access_token": SHOPIFY_TOKEN}), {}))
    assert [(r.external_id, r.item_type) for r in shopify] == [
        ("brass-lamp", "simple"), ("linen-shirt", "parent"), ("SHIRT-S", "variant"),
        ("SHIRT-M", "variant")]
    assert shopify[0].source_data["sku"] == "LAMP-1"
    woo = asyncio.run(store_records(WooCommerceClient(
        http, fake.url, {"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET}), {}))
    assert [(r.external_id, r.parent_external_id) for r in woo] == [
        ("STOOL-1", None), ("SCARF", None), ("SCARF-RED", "SCARF"), ("id:122", "SCARF")]
    magento = asyncio.run(store_records(
        MagentoClient(http, fake.url, {"access_token": MAGENTO_TOKEN}), {}))
    assert [(r.external_id, r.item_type) for r in magento] == [
        ("MH01", "parent"), ("MH01-S", "variant"), ("MH01-M", "variant"), ("WB01", "simple")]
    assert magento[0].source_data["description"] == "<p>Hoodie</p>"


def test_filters_are_checked_by_name() -> None:
    assert check_filters("woocommerce", {"status": " publish ", "category": ""}) == {
        "status": "publish"}
    for platform, filters, field in (("shopify", {"category": "x"}, "filters.category"),
                                     ("magento2", {"status": True}, "filters.status"),
                                     ("woocommerce", {"status": "x" * 201}, "filters.status")):
        with pytest.raises(InvalidCommandError, match=field):
            check_filters(platform, filters)

"""The client of a connection's platform, and a connection's sealed credentials opened."""

import json
from typing import Any, Protocol
from uuid import UUID

import structlog
from psycopg import AsyncConnection

from adapters.outbound_urls import OutboundPolicy
from adapters.postgres import secrets
from adapters.secret_box import SecretBox
from adapters.settings import Settings
from adapters.stores.http import StoreHttp
from adapters.stores.magento import MagentoClient
from adapters.stores.shopify import ShopifyClient
from adapters.stores.woocommerce import WooCommerceClient

log = structlog.get_logger("copydesk.stores")
CREDENTIALS_PURPOSE = "store_credentials"


class StoreClient(Protocol):
    platform: str

    async def shop_name(self) -> str: ...


def store_policy(settings: Settings) -> OutboundPolicy:
    return OutboundPolicy(allow_loopback=settings.stores_allow_loopback,
                          timeout_seconds=settings.store_timeout_seconds,
                          max_bytes=int(settings.feed_max_mb * 1024 * 1024), max_redirects=0)


def client_for(platform: str, base_url: str, credentials: dict[str, str],
               http: StoreHttp) -> ShopifyClient | WooCommerceClient | MagentoClient:
    if platform == "shopify":
        return ShopifyClient(http, base_url, credentials)
    if platform == "woocommerce":
        return WooCommerceClient(http, base_url, credentials)
    return MagentoClient(http, base_url, credentials)


def seal_credentials(box: SecretBox, credentials: dict[str, str]) -> tuple[bytes, str]:
    """(ciphertext, fingerprint) of a platform's credentials."""
    plain = json.dumps(credentials, sort_keys=True)
    return box.seal(plain), box.fingerprint(plain)


async def connection_credentials(conn: AsyncConnection[Any], box: SecretBox, org_id: UUID,
                                 connection_id: UUID) -> dict[str, str] | None:
    """The connection's credentials in clear, for a call to its store; None when it has
    none (or they were sealed with another secret key)."""
    sealed = await secrets.sealed(conn, connection_id, CREDENTIALS_PURPOSE, org_id)
    if sealed is None:
        return None
    try:
        found = json.loads(box.open(sealed))
    except ValueError:
        log.warning("store_credentials_unreadable", connection_id=str(connection_id))
        return None
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None

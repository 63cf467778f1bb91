"""Shared steps of the store integration tests: a stack whose API and worker may reach the
local fake stores (loopback), and connections to them."""

from collections.abc import Iterator
from typing import Any

import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import call
from tests.e2e.helpers import Tenant
from tests.fakes.store_servers import (
    MAGENTO_TOKEN,
    SHOPIFY_TOKEN,
    WOO_KEY,
    WOO_SECRET,
    FakeStores,
    running_fake_stores,
)
from tests.support import Stack, own_stack

CREDENTIALS: dict[str, dict[str, str]] = {
    "shopify": {"access_token": SHOPIFY_TOKEN},
    "woocommerce": {"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET},
    "magento2": {"access_token": MAGENTO_TOKEN},
}


@pytest.fixture(scope="module")
def fake_stores() -> Iterator[FakeStores]:
    with running_fake_stores() as fake:
        yield fake


@pytest.fixture(scope="module")
def stores_stack(servers: EmbeddedServers,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose API and worker may call loopback stores (the fakes)."""
    with own_stack(servers.database_url, tmp_path_factory.mktemp("stores-stack"),
                   stores_allow_loopback=True, store_timeout_seconds=10.0) as stack:
        yield stack


def new_connection(stack: Stack, tenant: Tenant, platform: str, base_url: str,
                   **fields: Any) -> dict[str, Any]:
    body = {"name": f"{platform} store", "platform": platform, "base_url": base_url,
            **CREDENTIALS[platform], **fields}
    response = call(stack, "POST", "/store-connections", tenant.headers, body)
    assert response.status_code == 200, response.text
    connection: dict[str, Any] = response.json()
    return connection


def link(stack: Stack, tenant: Tenant, project_id: str, connection_id: str | None) -> Any:
    return call(stack, "PATCH", f"/projects/{project_id}", tenant.headers,
                {"store_connection_id": connection_id})

"""The seed-001 store operations, called as a client of the seed would (see `seed_calls`)."""

from typing import Any, Protocol

from tests.e2e.helpers import Tenant

CONNECTIONS = "/api/v1/store-connections"
CONNECTION = CONNECTIONS + "/{connection_id}"


class Client(Protocol):
    def ok(self, method: str, template: str, headers: dict[str, str] | None = None,
           body: object = None, **kwargs: Any) -> Any: ...


def store_connections(client: Client, admin: Tenant) -> None:
    h = admin.headers
    created = client.ok("POST", CONNECTIONS, h, {
        "name": "Seed store", "platform": "shopify", "base_url": "http://127.0.0.1:9",
        "access_token": "shpat_seed_token"})
    c = {"connection_id": created["id"]}
    client.ok("GET", CONNECTIONS, h)
    client.ok("GET", CONNECTION, h, ids=c)
    client.ok("PATCH", CONNECTION, h, {"name": "Seed store renamed"}, ids=c)
    client.ok("POST", CONNECTION + "/test", h, ids=c)

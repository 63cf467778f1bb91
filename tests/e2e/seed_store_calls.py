"""The seed-001 store operations, called as a client of the seed would (see `seed_calls`),
against local fake stores."""

import time
from typing import Any, Protocol

from tests.e2e.helpers import Tenant
from tests.fakes.store_catalogs import woo_products
from tests.fakes.store_servers import WOO_KEY, WOO_SECRET, running_fake_stores

CONNECTIONS = "/api/v1/store-connections"
CONNECTION = CONNECTIONS + "/{connection_id}"
PROJECT = "/api/v1/projects/{project_id}"


class Client(Protocol):
    def ok(self, method: str, template: str, headers: dict[str, str] | None = None,
           body: object = None, **kwargs: Any) -> Any: ...


def store_connections(client: Client, admin: Tenant) -> None:
    h = admin.headers
    with running_fake_stores() as fake:
        products, variations = woo_products()
        fake.state.woo_products.extend(products)
        fake.state.woo_variations.update(variations)
        created = client.ok("POST", CONNECTIONS, h, {
            "name": "Seed store", "platform": "woocommerce", "base_url": fake.url,
            "consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET})
        c = {"connection_id": created["id"]}
        client.ok("GET", CONNECTIONS, h)
        client.ok("GET", CONNECTION, h, ids=c)
        client.ok("PATCH", CONNECTION, h, {"name": "Seed store renamed"}, ids=c)
        client.ok("POST", CONNECTION + "/test", h, ids=c)
        project = client.ok("POST", "/api/v1/projects", h,
                            data={"name": "Seed store import", "platform": "woocommerce"})["id"]
        p = {"project_id": project}
        client.ok("PATCH", PROJECT, h, {"store_connection_id": created["id"]}, ids=p)
        client.ok("GET", PROJECT + "/import/filters", h, ids=p)
        client.ok("POST", PROJECT + "/import/preview", h, {"filters": {}}, ids=p)
        job = client.ok("POST", PROJECT + "/import/execute", h, {"filters": {}}, ids=p)
        _wait_for_job(client, h, job["job_id"])
        items = client.ok("GET", PROJECT + "/items", h, ids=p)
        item = next(i["id"] for i in items if i["external_id"] == "STOOL-1")
        i = {**p, "item_id": item}
        client.ok("PATCH", PROJECT + "/items/{item_id}", h, {
            "generated_content": {"long_description": "<p>An oak stool.</p>"},
            "status": "approved"}, ids=i)
        client.ok("POST", PROJECT + "/sync/{item_id}", h, ids=i)
        scarf = next(i["id"] for i in items if i["external_id"] == "SCARF")
        client.ok("PATCH", PROJECT + "/items/{item_id}", h, {
            "generated_content": {"long_description": "<p>A scarf.</p>"},
            "status": "approved"}, ids={**p, "item_id": scarf})
        fake.state.failing_ids.add("12")  # the scarf: one failed item in the summary
        client.ok("POST", PROJECT + "/sync", h, ids=p)
        client.ok("POST", PROJECT + "/sync/stream", h, {"mode": "all"}, ids=p)
        client.ok("GET", PROJECT + "/sync/{item_id}/history", h, ids=i)


def _wait_for_job(client: Client, headers: dict[str, str], job_id: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.ok("GET", "/api/v1/jobs/{job_id}", headers, ids={"job_id": job_id})
        if job["status"] in ("completed", "failed", "cancelled"):
            return
        time.sleep(0.2)
    raise AssertionError("the seed's store import did not end")

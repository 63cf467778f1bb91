"""Steps of the generation flows: products, a generation request, its SSE events, the charges
the events table holds for a job."""

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import httpx
import psycopg

from adapters.postgres.codec import decode_event
from adapters.settings import Settings
from commands.billing.accounts import AdjustBalance, adjust_balance
from domain.billing.events import UsageCharged
from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.helpers import Tenant, run_commands
from tests.support import Stack

FINISHED = ("completed", "failed", "cancelled")


def products(count: int, prefix: str = "P") -> list[dict[str, Any]]:
    return [{"external_id": f"{prefix}{n:04d}", "sku": f"{prefix}{n:04d}",
             "name": f"Linen shirt {prefix}{n}", "price": f"{20 + n}.00",
             "description": "A shirt of washed linen, relaxed fit.", "color": "sand"}
            for n in range(count)]


def project_with_products(stack: Stack, tenant: Tenant, count: int = 5,
                          prefix: str = "P") -> tuple[str, list[str]]:
    """A new project with `count` products from a manual source; the project and item ids."""
    project = new_project(stack, tenant)["id"]
    manual_source(stack, tenant, project, products(count, prefix))
    items = call(stack, "GET", f"/projects/{project}/items", tenant.headers).json()
    return project, [item["id"] for item in items]


def post(stack: Stack, tenant: Tenant, path: str, body: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{stack.base_url}/api/v1{path}", headers={**tenant.headers, **(headers or {})},
                      json={} if body is None else body, timeout=120)


def items_of(stack: Stack, tenant: Tenant, project: str) -> dict[str, dict[str, Any]]:
    response = call(stack, "GET", f"/projects/{project}/items", tenant.headers)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()}


def set_status(stack: Stack, tenant: Tenant, project: str, item_id: str, status: str) -> None:
    response = call(stack, "PATCH", f"/projects/{project}/items/{item_id}", tenant.headers,
                    {"status": status})
    assert response.status_code == 200, response.text


def read_events(response: httpx.Response, until: str = "done") -> list[tuple[str, Any]]:
    """(event name, data) of each SSE event, and ("heartbeat", None) for each heartbeat."""
    events: list[tuple[str, Any]] = []
    name = ""
    for line in response.iter_lines():
        if line.startswith(": heartbeat"):
            events.append(("heartbeat", None))
        elif line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            events.append((name, json.loads(line[len("data: "):])))
            if name == until:
                break
    return events


def charges_per_reference(settings: Settings, job_id: str) -> dict[str, int]:
    """How many UsageCharged events the event store holds per reference of this job."""
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT topic, state FROM events WHERE topic LIKE %s",
                            ("%UsageCharged%",)).fetchall()
    events = [decode_event(topic, bytes(state))[0] for topic, state in rows]
    return dict(Counter(str(e.reference_id) for e in events if isinstance(e, UsageCharged)
                        and str(e.reference_id).startswith(f"{job_id}:")))


def use_up_balance(stack: Stack, tenant: Tenant) -> None:
    """Take the organization's whole balance away (its subscription allotment used up)."""
    subscription, topup = stack_balance(stack, tenant)
    steps = []
    if subscription:
        steps.append((adjust_balance, AdjustBalance(org_id=tenant.org_id, amount=-subscription,
                                                    balance_type="subscription")))
    if topup:
        steps.append((adjust_balance, AdjustBalance(org_id=tenant.org_id, amount=-topup,
                                                    balance_type="topup")))
    run_commands(stack, *steps)


def stack_balance(stack: Stack, tenant: Tenant) -> tuple[Decimal, Decimal]:
    row = call(stack, "GET", "/billing/balance", tenant.headers).json()
    return Decimal(str(row["subscription_balance"])), Decimal(str(row["topup_balance"]))

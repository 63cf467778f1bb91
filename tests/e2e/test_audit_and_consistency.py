"""The audit log, read-your-writes and the position headers, over HTTP."""

import httpx
import psycopg

from tests.e2e.helpers import add_user, new_tenant
from tests.support import Stack


def api(stack: Stack, method: str, path: str, headers: dict[str, str],
        body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}{path}", headers=headers, json=body, timeout=30)


def test_the_audit_log_shows_who_did_what_and_when_newest_first(stack: Stack) -> None:
    tenant = new_tenant(stack, "Audited")
    topup = api(stack, "POST", "/api/v1/billing/topup", tenant.headers,
                {"amount": "25", "description": "audit me"})
    assert topup.status_code == 200
    page = api(stack, "GET", "/api/v1/audit?page_size=5", tenant.headers)
    assert page.status_code == 200
    newest = page.json()["entries"][0]
    assert newest["event_type"] == "billing.ToppedUp"
    assert newest["actor_type"] == "user"
    assert newest["request_id"] == topup.headers["x-request-id"]
    assert newest["data"]["description"] == "audit me"
    assert newest["occurred_at"]
    assert page.json()["total"] >= 8  # onboarding's events and the top-up


def test_the_audit_log_is_for_admins_of_that_organization_only(stack: Stack) -> None:
    tenant, other = new_tenant(stack, "Mine"), new_tenant(stack, "Theirs")
    member = add_user(stack, tenant)
    assert api(stack, "GET", "/api/v1/audit", member).status_code == 403
    assert api(stack, "GET", "/api/audit", headers={}).status_code == 401
    seen = api(stack, "GET", "/api/v1/audit?page_size=100", other.headers).json()["entries"]
    with psycopg.connect(stack.settings.database_url) as conn:
        mine = {str(r[0]) for r in conn.execute(
            "SELECT aggregate_id FROM rm_audit.audit_log WHERE org_id = %s", (tenant.org_id,))}
    assert mine and not mine & {entry["aggregate_id"] for entry in seen}


def test_a_command_answers_with_its_position_and_the_next_read_shows_it(stack: Stack) -> None:
    tenant = new_tenant(stack, "Consistent")
    for _ in range(3):
        response = api(stack, "POST", "/api/v1/billing/topup", tenant.headers, {"amount": 1})
        assert int(response.headers["x-position"]) > 0
        balance = api(stack, "GET", "/api/v1/billing/balance", tenant.headers).json()
        transactions = api(stack, "GET", "/api/v1/billing/transactions", tenant.headers).json()
        assert transactions["transactions"][0]["id"] == response.json()["id"]
    assert balance["topup_balance"] == "3.00"


def test_a_query_waits_for_the_position_it_is_given(stack: Stack) -> None:
    tenant = new_tenant(stack, "Eventual")
    eventual = {**tenant.headers, "X-Consistency": "eventual"}
    response = api(stack, "POST", "/api/v1/billing/topup", eventual, {"amount": 5})
    assert response.status_code == 200
    position = response.headers["x-position"]
    balance = api(stack, "GET", "/api/v1/billing/balance",
                  {**tenant.headers, "X-Min-Position": position}).json()
    assert balance["topup_balance"] == "5.00"

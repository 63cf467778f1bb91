"""XCT billing over HTTP: balances, the ledger, top-ups, the admin's commands, history."""

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest

from commands.billing.accounts import ChargeUsage, TopUp, charge_usage, top_up
from projections.billing.projection import BillingLedger
from projections.verify import differences
from tests.e2e.helpers import Tenant, add_user, new_tenant, run_commands
from tests.support import Stack, wait_for_projections

BILLING = "/api/v1/billing"
BALANCE_FIELDS = {"subscription_balance", "topup_balance", "total_balance", "subscription_tier",
                  "overage_enabled", "token_rate_multiplier"}
TRANSACTION_FIELDS = {"id", "transaction_type", "amount", "balance_type", "description",
                      "created_at", "created_by"}


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.base_url, timeout=30) as http:
        yield http


@pytest.fixture
def admin(stack: Stack) -> Tenant:
    return new_tenant(stack)


def balance(client: httpx.Client, tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = client.get(f"{BILLING}/balance", headers=tenant.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def transactions(client: httpx.Client, tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = client.get(f"{BILLING}/transactions", headers=tenant.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def command(client: httpx.Client, method: str, path: str, tenant: Tenant,
            body: Any = None, **headers: str) -> httpx.Response:
    """A billing command; a successful one carries the position of its last event."""
    response = client.request(method, f"{BILLING}/{path}", json=body,
                              headers={**tenant.headers, **headers})
    if response.is_success:
        assert int(response.headers["X-Position"]) > 0
    return response


def test_a_new_organization_has_its_starter_allotment(
    client: httpx.Client, admin: Tenant
) -> None:
    body = balance(client, admin)

    assert set(body) >= BALANCE_FIELDS
    assert body["subscription_balance"] == "1000000.00"
    assert body["topup_balance"] == "0.00"
    assert body["total_balance"] == "1000000.00"
    assert body["subscription_tier"] == "starter"
    assert body["overage_enabled"] is False
    assert body["token_rate_multiplier"] == "1.00"
    unversioned = client.get("/api/billing/balance", headers=admin.headers)
    assert unversioned.status_code == 200
    assert unversioned.json() == body
    ledger = transactions(client, admin)
    assert (ledger["total"], ledger["page"], ledger["page_size"]) == (1, 1, 20)
    assert ledger["transactions"][0]["transaction_type"] == "allocation"
    assert ledger["transactions"][0]["amount"] == "1000000.00"


def test_a_top_up_raises_the_topup_balance_and_is_the_newest_transaction(
    client: httpx.Client, admin: Tenant
) -> None:
    response = command(client, "POST", "topup", admin, {"amount": "250.5", "description": "Card"})

    assert response.status_code == 200, response.text
    entry = response.json()
    assert set(entry) == TRANSACTION_FIELDS
    assert (entry["transaction_type"], entry["amount"], entry["balance_type"],
            entry["description"]) == ("topup", "250.50", "topup", "Card")
    assert entry["created_by"]
    now = balance(client, admin)
    assert (now["topup_balance"], now["total_balance"]) == ("250.50", "1000250.50")
    assert transactions(client, admin)["transactions"][0] == entry
    numeric = command(client, "POST", "topup", admin, {"amount": 100})
    assert numeric.status_code == 200, numeric.text
    assert numeric.json()["amount"] == "100.00"
    assert balance(client, admin)["topup_balance"] == "350.50"


def test_a_repeated_idempotency_key_replays_the_first_top_up(
    client: httpx.Client, admin: Tenant
) -> None:
    body = {"amount": 75, "description": "once"}
    first = command(client, "POST", "topup", admin, body, **{"Idempotency-Key": "topup-1"})
    again = client.post(f"{BILLING}/topup", json=body,
                        headers={**admin.headers, "Idempotency-Key": "topup-1"})
    other = client.post(f"{BILLING}/topup", json={"amount": 76, "description": "once"},
                        headers={**admin.headers, "Idempotency-Key": "topup-1"})

    assert first.status_code == 200, first.text
    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert transactions(client, admin)["total"] == 2
    assert balance(client, admin)["topup_balance"] == "75.00"


def test_a_command_answers_the_ledger_entry_the_read_model_then_lists(
    stack: Stack, client: httpx.Client, admin: Tenant
) -> None:
    """The answer is made from the event the command appended (no read back), except for a
    top-up key the account knows but the replay window forgot: that entry is read."""
    adjusted = command(client, "POST", "adjustment", admin,
                       {"amount": "-12.5", "balance_type": "subscription", "description": "fix"})
    run_commands(stack, (top_up, TopUp(org_id=admin.org_id, amount=Decimal(40),
                                       description="earlier", request_key="forgotten")))
    earlier = transactions(client, admin)["transactions"][0]
    again = client.post(f"{BILLING}/topup", json={"amount": 40, "description": "earlier"},
                        headers={**admin.headers, "Idempotency-Key": "forgotten"})

    assert adjusted.status_code == 200, adjusted.text
    listed = {entry["id"]: entry for entry in transactions(client, admin)["transactions"]}
    assert listed[adjusted.json()["id"]] == adjusted.json()
    assert again.status_code == 200, again.text
    assert again.json() == earlier
    assert transactions(client, admin)["total"] == len(listed)


def test_a_repeat_sent_the_moment_the_first_answer_arrives_is_a_replay(
    client: httpx.Client, admin: Tenant
) -> None:
    # the key must be settled before the client can read the end of the first answer
    for n in range(25):
        headers = {**admin.headers, "Idempotency-Key": f"at-once-{n}",
                   "X-Consistency": "eventual"}
        first = client.post(f"{BILLING}/topup", json={"amount": 1}, headers=headers)
        again = client.post(f"{BILLING}/topup", json={"amount": 1}, headers=headers)
        assert (first.status_code, again.status_code) == (200, 200), again.text
        assert again.headers["Idempotent-Replayed"] == "true"


def test_only_admins_run_billing_commands(
    stack: Stack, client: httpx.Client, admin: Tenant
) -> None:
    member = Tenant(admin.org_id, "", "", add_user(stack, admin, "member"))

    assert client.get(f"{BILLING}/balance", headers=member.headers).status_code == 200
    for method, path, body in (
        ("POST", "topup", {"amount": 10}),
        ("POST", "reset-cycle", None),
        ("POST", "adjustment", {"amount": 10, "balance_type": "topup"}),
        ("PATCH", "subscription", {"tier": "enterprise"}),
        ("PATCH", "settings", {"overage_enabled": True}),
    ):
        response = command(client, method, path, member, body)
        assert response.status_code == 403, (path, response.text)
    assert transactions(client, admin)["total"] == 1
    assert client.get(f"{BILLING}/balance").status_code == 401


def test_an_organization_never_sees_another_organizations_ledger(
    stack: Stack, client: httpx.Client, admin: Tenant
) -> None:
    other = new_tenant(stack, "Other shop")
    mine = command(client, "POST", "topup", admin, {"amount": 500}).json()

    theirs = transactions(client, other)
    assert theirs["total"] == 1
    assert mine["id"] not in {t["id"] for t in theirs["transactions"]}
    assert balance(client, other)["topup_balance"] == "0.00"


def test_a_cycle_reset_expires_the_subscription_balance_only(
    client: httpx.Client, admin: Tenant
) -> None:
    command(client, "POST", "topup", admin, {"amount": 100})
    spent = command(client, "POST", "adjustment", admin,
                    {"amount": "-1000", "balance_type": "subscription", "description": "fix"})
    assert spent.status_code == 200, spent.text
    assert spent.json()["amount"] == "-1000.00"

    reset = command(client, "POST", "reset-cycle", admin)

    assert reset.status_code == 200, reset.text
    assert (reset.json()["subscription_balance"], reset.json()["topup_balance"]) == (
        "1000000.00", "100.00")
    assert balance(client, admin) == reset.json()
    newest = transactions(client, admin)["transactions"][:2]
    assert [(t["transaction_type"], t["amount"]) for t in newest] == [
        ("allocation", "1000000.00"), ("expiration", "-999000.00")]


def test_settings_change_the_balance_terms_and_refuse_bad_values(
    client: httpx.Client, admin: Tenant
) -> None:
    for body, status in (
        ({"token_rate_multiplier": 0}, 422),
        ({"token_rate_multiplier": "1.234"}, 422),
        ({"token_rate_multiplier": "abc"}, 400),
        ({"overage_enabled": "yes"}, 400),
    ):
        response = client.patch(f"{BILLING}/settings", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)

    changed = command(client, "PATCH", "settings", admin,
                      {"overage_enabled": True, "token_rate_multiplier": "1.25"})

    assert changed.status_code == 200, changed.text
    assert (changed.json()["overage_enabled"], changed.json()["token_rate_multiplier"]) == (
        True, "1.25")
    assert balance(client, admin) == changed.json()


def test_a_subscription_change_can_allot_the_new_tier_at_once(
    client: httpx.Client, admin: Tenant
) -> None:
    command(client, "POST", "topup", admin, {"amount": 30})
    command(client, "POST", "adjustment", admin,
            {"amount": "-400", "balance_type": "subscription", "description": "used"})
    unknown = client.patch(f"{BILLING}/subscription", json={"tier": "platinum"},
                           headers=admin.headers)
    changed = command(client, "PATCH", "subscription", admin,
                      {"tier": "professional", "allocate_immediately": True})

    assert unknown.status_code == 422
    assert changed.status_code == 200, changed.text
    assert (changed.json()["subscription_tier"], changed.json()["subscription_balance"],
            changed.json()["topup_balance"]) == ("professional", "5000000.00", "30.00")
    assert balance(client, admin) == changed.json()
    newest = transactions(client, admin)["transactions"][:2]
    assert [(t["transaction_type"], t["amount"], t["balance_type"]) for t in newest] == [
        ("allocation", "5000000.00", "subscription"),
        ("withdrawal", "-999600.00", "subscription")]
    assert "starter" in newest[1]["description"] and "professional" in newest[1]["description"]


def test_a_change_to_the_current_tier_allots_nothing(
    client: httpx.Client, admin: Tenant
) -> None:
    before, ledger = balance(client, admin), transactions(client, admin)

    for allocate in (True, False):
        same = client.patch(f"{BILLING}/subscription", headers=admin.headers,
                            json={"tier": before["subscription_tier"],
                                  "allocate_immediately": allocate})

        assert same.status_code == 200, same.text
        assert same.json() == before
        assert "X-Position" not in same.headers
    assert balance(client, admin) == before
    assert transactions(client, admin) == ledger


def test_adjustments_refuse_the_overage_balance_and_bad_amounts(
    client: httpx.Client, admin: Tenant
) -> None:
    overage = client.post(f"{BILLING}/adjustment", headers=admin.headers,
                          json={"amount": 10, "balance_type": "overage"})
    garbled = client.post(f"{BILLING}/adjustment", headers=admin.headers,
                          json={"amount": "ten", "balance_type": "topup"})
    missing = client.post(f"{BILLING}/topup", headers=admin.headers, json={"description": "x"})
    below_zero = client.post(f"{BILLING}/adjustment", headers=admin.headers,
                             json={"amount": -1, "balance_type": "topup"})

    assert overage.status_code == 422
    assert garbled.status_code == 400
    assert "amount" in garbled.json()["detail"]
    assert missing.status_code == 400
    assert "amount" in missing.json()["detail"]
    assert below_zero.status_code == 422
    assert transactions(client, admin)["total"] == 1


def test_the_balance_as_of_a_past_moment_comes_from_the_event_log(
    client: httpx.Client, admin: Tenant
) -> None:
    before = datetime.now(UTC)
    time.sleep(0.05)
    command(client, "POST", "topup", admin, {"amount": 40})

    past = balance(client, admin, as_of=before.isoformat())
    present = balance(client, admin, as_of=datetime.now(UTC).isoformat())
    bad = client.get(f"{BILLING}/balance", params={"as_of": "last tuesday"},
                     headers=admin.headers)

    assert (past["topup_balance"], past["subscription_balance"]) == ("0.00", "1000000.00")
    assert present == balance(client, admin)
    assert present["topup_balance"] == "40.00"
    assert bad.status_code == 400
    assert "as_of" in bad.json()["detail"]


def test_model_tiers_list_their_price_and_models(client: httpx.Client, admin: Tenant) -> None:
    response = client.get(f"{BILLING}/model-tiers", headers=admin.headers)

    assert response.status_code == 200
    tiers = response.json()["tiers"]
    assert [t["tier"] for t in tiers] == ["economy", "standard", "premium"]
    assert [t["multiplier"] for t in tiers] == [1, 2, 5]
    assert all(isinstance(models, list) for t in tiers for models in t["models"].values())
    assert "claude-opus-4-1" in tiers[2]["models"]["anthropic"]


def test_the_usage_summary_adds_up_charged_ai_calls(
    stack: Stack, client: httpx.Client, admin: Tenant
) -> None:
    run_commands(stack, (charge_usage, ChargeUsage(
        org_id=admin.org_id, provider="openai", model="gpt-4o", input_tokens=120,
        output_tokens=80, purpose="product_description")))

    response = client.get(f"{BILLING}/usage-summary", params={"days": 7}, headers=admin.headers)

    assert response.status_code == 200, response.text
    summary = response.json()
    assert set(summary) == {"period_start", "period_end", "total_xct_used", "by_tier",
                            "by_provider"}
    assert summary["total_xct_used"] == "400.00"
    standard = next(t for t in summary["by_tier"] if t["tier"] == "standard")
    assert standard == {"tier": "standard", "request_count": 1, "total_tokens": 200,
                        "xct_used": "400.00"}
    assert summary["by_provider"] == {"openai": "400.00"}
    assert balance(client, admin)["subscription_balance"] == "999600.00"
    for days in (0, 366):
        refused = client.get(f"{BILLING}/usage-summary", params={"days": days},
                             headers=admin.headers)
        assert refused.status_code == 400


def test_the_billing_read_models_equal_a_rebuild_from_the_log(stack: Stack) -> None:
    wait_for_projections(stack.settings)

    async def check() -> list[str]:
        async with await psycopg.AsyncConnection.connect(stack.settings.database_url,
                                                         autocommit=True) as conn:
            return await differences(conn, BillingLedger())

    assert asyncio.run(check()) == []


def test_usage_dates_are_iso_8601_with_or_without_a_zone(
    client: httpx.Client, admin: Tenant,
) -> None:
    url = "/api/v1/usage"
    refused = client.get(url, params={"start_date": "0.5"}, headers=admin.headers)
    assert refused.status_code == 400
    assert "start_date" in refused.json()["detail"]
    mixed = client.get(url, params={"start_date": "2026-01-01T00:00:00",
                                    "end_date": "2026-01-02T00:00:00+00:00"},
                       headers=admin.headers)
    assert mixed.status_code == 200, mixed.text
    backwards = client.get(url, params={"start_date": "2026-01-02", "end_date": "2026-01-01"},
                           headers=admin.headers)
    assert backwards.status_code == 422, backwards.text

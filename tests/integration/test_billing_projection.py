"""The billing read models, applied from events appended to the real PostgreSQL event store."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import psycopg

from adapters.postgres.event_log import read_log
from commands.billing.accounts import (
    AdjustBalance,
    ChangeBillingSettings,
    ChangeSubscription,
    ChargeUsage,
    ResetBillingCycle,
    TopUp,
    adjust_balance,
    change_billing_settings,
    change_subscription,
    charge_usage,
    reset_billing_cycle,
    top_up,
)
from commands.bus import CommandBus
from domain.billing.account import BillingAccount, billing_account_id
from projections.billing.projection import BillingLedger, usage_part_id
from projections.billing.queries import get_balance, list_transactions, usage_summary
from projections.runner import apply_batch, tracked_position
from projections.verify import differences
from tests.integration.events import META, onboard

D = Decimal
LEDGER = BillingLedger()


def busy_account(bus: CommandBus) -> tuple[UUID, UUID]:
    """An organization that did one of everything, ending with a usage charge that drew on
    all three balances; (org id, the charge's transaction id)."""
    org = onboard(bus)  # starter: 1000000.00
    bus.execute(top_up, TopUp(org_id=org, amount=D("250.50"), description="Card",
                              request_key="k-1"), META)
    bus.execute(adjust_balance, AdjustBalance(org_id=org, amount=D("-999900.00"),
                                              balance_type="subscription"), META)
    bus.execute(change_billing_settings, ChangeBillingSettings(
        org_id=org, overage_enabled=True, token_rate_multiplier=D("1.50")), META)
    charge = bus.execute(charge_usage, ChargeUsage(
        org_id=org, provider="template", model="template-writer", input_tokens=100,
        output_tokens=200, purpose="product_description", reference_id="item-1"), META)
    bus.execute(change_subscription, ChangeSubscription(
        org_id=org, tier="professional", allocate_immediately=True), META)
    bus.execute(reset_billing_cycle, ResetBillingCycle(org_id=org), META)
    return org, charge.result


def balance_from_store(bus: CommandBus, org: UUID) -> object:
    account_id = billing_account_id(org)
    return BillingAccount.rebuild(account_id, bus.store.load(account_id)).balance()


async def test_the_read_models_show_every_balance_movement_of_an_account(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    org, charge = busy_account(bus)
    other = onboard(bus)

    reached = await apply_batch(conn, LEDGER, await read_log(conn, after=0, limit=10_000))

    assert reached == await tracked_position(conn, "billing")
    balance = await get_balance(conn, org)
    assert balance == balance_from_store(bus, org)
    assert balance is not None
    assert (balance.subscription_balance, balance.topup_balance, balance.overage_balance) == (
        D("5000000.00"), D("0.00"), D("99.50"))
    assert (balance.subscription_tier, balance.overage_enabled,
            balance.token_rate_multiplier) == ("professional", True, D("1.50"))
    entries, total = await list_transactions(conn, org, page=1, page_size=100)
    assert total == 9
    assert [(e.transaction_type, e.balance_type, e.amount) for e in entries] == [
        ("allocation", "subscription", "5000000.00"),
        ("expiration", "subscription", "-5000000.00"),
        ("allocation", "subscription", "5000000.00"),
        ("usage", "subscription", "-100.00"),
        ("usage", "topup", "-250.50"),
        ("usage", "overage", "-99.50"),
        ("adjustment", "subscription", "-999900.00"),
        ("topup", "topup", "250.50"),
        ("allocation", "subscription", "1000000.00"),
    ]
    assert [e.id for e in entries[3:6]] == [
        str(usage_part_id(charge, part)) for part in ("subscription", "topup", "overage")]
    assert {e.created_by for e in entries} == {"test"}
    assert entries[7].description == "Card"
    page_two, _ = await list_transactions(conn, org, page=2, page_size=4)
    assert [e.id for e in page_two] == [e.id for e in entries[4:8]]
    assert (await list_transactions(conn, other, page=1, page_size=100))[1] == 1


async def test_the_usage_summary_groups_charges_by_model_tier_and_provider(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    org, _ = busy_account(bus)
    bus.execute(charge_usage, ChargeUsage(org_id=org, provider="anthropic", model="claude-opus-4-1",
                                          input_tokens=10, output_tokens=0, purpose="blog"), META)
    await apply_batch(conn, LEDGER, await read_log(conn, after=0, limit=10_000))

    summary = await usage_summary(conn, org, days=30)

    assert summary.total_xct_used == "525.00"  # 300 tokens x 1 x 1.50 + 10 x 5 x 1.50
    assert [(t.tier, t.request_count, t.total_tokens, t.xct_used) for t in summary.by_tier] == [
        ("economy", 1, 300, "450.00"), ("standard", 0, 0, "0.00"), ("premium", 1, 10, "75.00")]
    assert summary.by_provider == {"anthropic": "75.00", "template": "450.00"}
    later = await usage_summary(conn, org, days=1, now=datetime.now(UTC) + timedelta(days=3))
    assert later.total_xct_used == "0.00"
    assert later.by_provider == {}


async def test_a_batch_out_of_order_with_duplicates_and_a_hole_is_applied_once_in_log_order(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    org, _ = busy_account(bus)
    records = await read_log(conn, after=0, limit=10_000)
    first, rest = records[:3], records[3:]
    await apply_batch(conn, LEDGER, first)
    hole = next(r for r in rest[:-1] if r.topic.endswith("ToppedUp"))
    delivered = [r for r in rest + rest[:4] + first if r is not hole]
    random.Random(7).shuffle(delivered)

    reached = await apply_batch(conn, LEDGER, delivered)
    again = await apply_batch(conn, LEDGER, delivered)

    assert reached == again == records[-1].position
    assert await get_balance(conn, org) == balance_from_store(bus, org)
    entries, total = await list_transactions(conn, org, page=1, page_size=100)
    assert total == 9
    assert any(e.transaction_type == "topup" and e.amount == "250.50" for e in entries)
    assert await differences(conn, LEDGER) == []


async def test_a_rebuild_from_scratch_gives_the_same_rows(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    """Balances are summed per batch: batches of 1 to 7 events live, one of all in the
    rebuild, must give the same sums and the same times."""
    for _ in range(3):
        busy_account(bus)
    records = await read_log(conn, after=0, limit=10_000)
    sizes = random.Random(11)
    start = 0
    while start < len(records):
        size = sizes.randint(1, 7)
        await apply_batch(conn, LEDGER, records[start:start + size])
        start += size

    assert await differences(conn, LEDGER) == []

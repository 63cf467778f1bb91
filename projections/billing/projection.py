"""BillingLedger — why: organizations see their XCT balances, every movement of them, and what
their AI usage cost; how: `rm_billing.balances` (one row per organization),
`rm_billing.transactions` (one row per balance movement) and `rm_billing.usage` (one row per
charged AI call); when: async (projector). Its queries are in `projections.billing.queries`."""

from decimal import Decimal
from uuid import UUID, uuid5

from domain.billing.events import (
    BalanceAdjusted,
    BillingAccountOpened,
    BillingSettingsChanged,
    SubscriptionAllotmentWithdrawn,
    SubscriptionAllotted,
    SubscriptionExpired,
    SubscriptionTierChanged,
    ToppedUp,
    UsageCharged,
)
from domain.billing.tiers import ZERO
from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import MultiRow, Totals, Writes

SCHEMA = "rm_billing"

_OPEN = (
    "INSERT INTO balances (org_id, subscription_tier, updated_at) VALUES (%s, %s, %s)"
    " ON CONFLICT (org_id) DO NOTHING"
)
# a balance's movements are summed per organization over a batch: one UPDATE for all of them
_MOVE = Totals(
    "UPDATE balances AS b SET subscription_balance = b.subscription_balance + d.subscription,"
    " topup_balance = b.topup_balance + d.topup, overage_balance = b.overage_balance + d.overage,"
    " updated_at = greatest(b.updated_at, d.at)"
    " FROM unnest({arrays}) AS d(org_id, subscription, topup, overage, at)"
    " WHERE b.org_id = d.org_id",
    ("uuid", "numeric", "numeric", "numeric", "timestamptz"),
)
# greatest(): the row's time is its latest event's, however the batches fell
_TIER = ("UPDATE balances SET subscription_tier = %s, updated_at = greatest(updated_at, %s)"
         " WHERE org_id = %s")
_SETTINGS = (
    "UPDATE balances SET overage_enabled = %s, token_rate_multiplier = %s,"
    " updated_at = greatest(updated_at, %s) WHERE org_id = %s"
)
_LEDGER = MultiRow(
    "INSERT INTO transactions (id, org_id, position, part, transaction_type, amount,"
    " balance_type, description, created_at, created_by)",
    ("uuid", "uuid", "bigint", "smallint", "text", "numeric", "text", "text", "timestamptz",
     "text"),
    "ON CONFLICT (id) DO NOTHING",
)
_USAGE = MultiRow(
    "INSERT INTO usage (transaction_id, org_id, provider, model, tier, input_tokens,"
    " output_tokens, xct, purpose, reference_id, created_at, content_type)",
    ("uuid", "uuid", "text", "text", "text", "bigint", "bigint", "numeric", "text", "text",
     "timestamptz", "text"),
    "ON CONFLICT DO NOTHING",
)
_PARTS = ("subscription", "topup", "overage")


def usage_part_id(transaction_id: UUID, balance_type: str) -> UUID:
    """The ledger id of one part of a usage charge that drew on several balances."""
    return uuid5(transaction_id, balance_type)


class BillingLedger(Projection):
    name = "billing"
    schema = SCHEMA
    topics = frozenset(e.topic() for e in (
        BillingAccountOpened, SubscriptionTierChanged, SubscriptionAllotted, SubscriptionExpired,
        SubscriptionAllotmentWithdrawn, ToppedUp, BillingSettingsChanged, BalanceAdjusted,
        UsageCharged,
    ))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, org, at = record.event, record.event.org_id, record.event.occurred_at
        match event:
            case BillingAccountOpened(tier=tier):
                writes.add(_OPEN, (org, tier, at))
            case SubscriptionTierChanged(new_tier=tier):
                writes.add(_TIER, (tier, at, org))
            case BillingSettingsChanged(overage_enabled=enabled, token_rate_multiplier=rate):
                writes.add(_SETTINGS, (enabled, rate, at, org))
            case SubscriptionAllotted(transaction_id=tx, amount=amount, tier=tier):
                writes.total(_MOVE, org, (amount, ZERO, ZERO), at)
                _ledger(writes, record, tx, "allocation", amount, "subscription",
                              f"Monthly XCT allotment of the {tier} tier")
            case SubscriptionExpired(transaction_id=tx, amount=amount):
                writes.total(_MOVE, org, (-amount, ZERO, ZERO), at)
                _ledger(writes, record, tx, "expiration", -amount, "subscription",
                              "Unused subscription XCT expired at the billing cycle reset")
            case SubscriptionAllotmentWithdrawn(transaction_id=tx, amount=amount,
                                                old_tier=old, new_tier=new):
                writes.total(_MOVE, org, (-amount, ZERO, ZERO), at)
                _ledger(writes, record, tx, "withdrawal", -amount, "subscription",
                        f"Unused XCT of the {old} tier withdrawn: the {new} tier's"
                        " allotment replaces it")
            case ToppedUp(transaction_id=tx, amount=amount, description=description):
                writes.total(_MOVE, org, (ZERO, amount, ZERO), at)
                _ledger(writes, record, tx, "topup", amount, "topup", description)
            case BalanceAdjusted(transaction_id=tx, amount=amount, balance_type=kind,
                                 description=description):
                sub, topup = (amount, ZERO) if kind == "subscription" else (ZERO, amount)
                writes.total(_MOVE, org, (sub, topup, ZERO), at)
                _ledger(writes, record, tx, "adjustment", amount, kind, description)
            case UsageCharged():
                writes.total(_MOVE, org, (-event.from_subscription, -event.from_topup,
                                          event.from_overage), at)
                _usage(writes, record, event)


def _ledger(
    writes: Writes, record: RecordedEvent, tx: UUID, kind: str, amount: Decimal,
    balance_type: str, description: str, part: int = 0,
) -> None:
    event = record.event
    writes.insert(_LEDGER, (tx, event.org_id, record.position, part, kind, amount,
                                balance_type, description, event.occurred_at,
                                record.meta.actor_id))


def _usage(writes: Writes, record: RecordedEvent, event: UsageCharged) -> None:
    """One ledger row per balance drawn on (the transaction id itself when only one), and the
    usage record."""
    drawn = zip(_PARTS, (event.from_subscription, event.from_topup, event.from_overage),
                strict=True)
    parts = [(kind, amount) for kind, amount in drawn if amount != ZERO]
    description = (f"{event.purpose}: {event.input_tokens} + {event.output_tokens} tokens,"
                   f" {event.provider}/{event.model}")
    tx = event.transaction_id
    if len(parts) <= 1:
        kind, amount = parts[0] if parts else ("subscription", ZERO)
        _ledger(writes, record, tx, "usage", -amount, kind, description)
    else:
        for number, (kind, amount) in enumerate(parts):
            _ledger(writes, record, usage_part_id(tx, kind), "usage", -amount, kind,
                          description, number)
    writes.insert(_USAGE, (
        tx, event.org_id, event.provider, event.model, event.tier, event.input_tokens,
        event.output_tokens, event.amount, event.purpose, event.reference_id, event.occurred_at,
        event.content_type,
    ))

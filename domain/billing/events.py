"""What happened to a billing account. Each event that moves a balance is one ledger entry."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.events import DomainEvent


class BillingEvent(DomainEvent):
    """The base of every billing event: its topic in the log is `billing.<ClassName>`."""

    context = "billing"


class BillingAccountOpened(BillingEvent):
    tier: str


class SubscriptionTierChanged(BillingEvent):
    old_tier: str
    new_tier: str


class SubscriptionAllotted(BillingEvent):
    """A cycle's (or a new tier's) XCT added to the subscription balance."""

    transaction_id: UUID
    amount: Decimal
    tier: str


class SubscriptionExpired(BillingEvent):
    """The unused subscription balance removed when a billing cycle resets."""

    transaction_id: UUID
    amount: Decimal


class SubscriptionAllotmentWithdrawn(BillingEvent):
    """The unused subscription balance of `old_tier` removed when `new_tier` is allotted at
    once in its place."""

    transaction_id: UUID
    amount: Decimal
    old_tier: str
    new_tier: str


class ToppedUp(BillingEvent):
    """XCT bought once, added to the top-up balance; it never expires.

    Version 2 records the top-up's idempotency key (`request_key`) and writes its amount as a
    decimal string; version 1 had neither and wrote whole XCT as an integer `xct`.
    """

    version = 2
    upcasters = {1: lambda data: _topped_up_v1_to_v2(data)}
    transaction_id: UUID
    amount: Decimal
    description: str
    request_key: str | None = None


def _topped_up_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    upgraded = {k: v for k, v in data.items() if k != "xct"}
    upgraded["amount"] = f"{Decimal(data['xct']):.2f}"
    upgraded.setdefault("request_key", None)
    return upgraded


class BillingSettingsChanged(BillingEvent):
    """The settings as they are after the change (both fields, changed or not)."""

    overage_enabled: bool
    token_rate_multiplier: Decimal


class BalanceAdjusted(BillingEvent):
    """A manual credit (amount > 0) or debit (amount < 0) of one balance."""

    transaction_id: UUID
    amount: Decimal
    balance_type: str  # "subscription" or "topup"
    description: str


class UsageCharged(BillingEvent):
    """Tokens used by an AI call, paid from subscription, then top-up, then overage."""

    transaction_id: UUID
    amount: Decimal
    from_subscription: Decimal
    from_topup: Decimal
    from_overage: Decimal
    provider: str
    model: str
    tier: str  # the model tier: economy, standard or premium
    input_tokens: int
    output_tokens: int
    purpose: str
    reference_id: str | None = None
    content_type: str = ""  # what was written (generation charges); empty in older events

"""Request and response bodies of the billing routes. XCT amounts go out as decimal strings
with 2 places; they come in as JSON numbers or decimal strings, decoded exactly (no floats)."""

from decimal import Decimal
from typing import Annotated

import msgspec

from domain.billing.account import Balance
from domain.billing.tiers import MODEL_TIERS
from projections.billing.queries import LedgerEntry, xct

Description = Annotated[str, msgspec.Meta(max_length=1000)]
Amount = Annotated[Decimal, msgspec.Meta(
    description="XCT: a JSON number or a decimal string, at most 2 decimal places (250.50)",
)]


class BalanceOut(msgspec.Struct):
    subscription_balance: str
    topup_balance: str
    total_balance: str
    subscription_tier: str
    overage_enabled: bool
    token_rate_multiplier: str
    overage_balance: str

    @classmethod
    def of(cls, balance: Balance) -> "BalanceOut":
        return cls(
            subscription_balance=xct(balance.subscription_balance),
            topup_balance=xct(balance.topup_balance),
            total_balance=xct(balance.total_balance),
            subscription_tier=balance.subscription_tier,
            overage_enabled=balance.overage_enabled,
            token_rate_multiplier=xct(balance.token_rate_multiplier),
            overage_balance=xct(balance.overage_balance),
        )


class TransactionPage(msgspec.Struct):
    transactions: list[LedgerEntry]
    total: int
    page: int
    page_size: int


class ModelTierOut(msgspec.Struct):
    tier: str
    multiplier: int
    models: dict[str, list[str]]


class ModelTiersOut(msgspec.Struct):
    tiers: list[ModelTierOut]

    @classmethod
    def all(cls) -> "ModelTiersOut":
        return cls(tiers=[
            ModelTierOut(tier=t.name, multiplier=t.multiplier,
                         models={provider: list(names) for provider, names in t.models.items()})
            for t in MODEL_TIERS.values()
        ])


class TopUpIn(msgspec.Struct):
    amount: Amount
    description: Description = ""


class SubscriptionIn(msgspec.Struct):
    tier: str
    allocate_immediately: bool = False


class SettingsIn(msgspec.Struct):
    overage_enabled: bool | None = None
    token_rate_multiplier: Decimal | None = None


class AdjustmentIn(msgspec.Struct):
    amount: Amount
    balance_type: str
    description: Description = ""

"""The billing account of one organization: its balances, its settings, the rules that move them."""

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.billing.errors import AccountAlreadyOpenError, AccountNotOpenError, BalanceBelowZeroError
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
from domain.billing.tiers import (
    SUBSCRIPTION_TIERS,
    ZERO,
    exact_amount,
    model_tier_for,
    monthly_allotment,
    token_cost,
)
from domain.errors import InsufficientBalanceError, InvalidCommandError
from domain.events import DomainEvent

BILLING_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:billing")
MAX_AMOUNT = Decimal("1000000000")
MAX_RATE = Decimal("100")
DEFAULT_RATE = Decimal("1.00")
TOPUP_KEYS_KEPT = 1_000
"""A top-up's request key is recognized while it is among the account's last 1,000 keyed
top-ups: the state of an account stays bounded however many top-ups it has had."""
BALANCE_TYPES = ("subscription", "topup")


def billing_account_id(org_id: UUID) -> UUID:
    return uuid5(BILLING_NAMESPACE, f"billing:{org_id}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Balance:
    """What an organization has to spend, and how it is billed."""

    subscription_balance: Decimal
    topup_balance: Decimal
    total_balance: Decimal
    overage_balance: Decimal
    subscription_tier: str
    overage_enabled: bool
    token_rate_multiplier: Decimal

    def quote(self, tokens: int, provider: str, model: str) -> Decimal:
        """XCT that `tokens` tokens of this model cost this organization."""
        return token_cost(tokens, model_tier_for(provider, model), self.token_rate_multiplier)

    def can_afford(self, cost: Decimal) -> bool:
        """With overage on anything is paid; else the prepaid balance must cover `cost`."""
        return self.overage_enabled or cost <= self.total_balance


class BillingAccount(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.opened = False
        self.tier = ""
        self.subscription_balance = ZERO
        self.topup_balance = ZERO
        self.overage_balance = ZERO
        self.overage_enabled = False
        self.token_rate_multiplier = DEFAULT_RATE
        self.topup_keys: dict[str, UUID] = {}

    @property
    def total_balance(self) -> Decimal:
        """Prepaid XCT left to spend (the overage owed is not subtracted)."""
        return self.subscription_balance + self.topup_balance

    def balance(self) -> Balance:
        return Balance(
            subscription_balance=self.subscription_balance, topup_balance=self.topup_balance,
            total_balance=self.total_balance, overage_balance=self.overage_balance,
            subscription_tier=self.tier, overage_enabled=self.overage_enabled,
            token_rate_multiplier=self.token_rate_multiplier,
        )

    # -- commands ------------------------------------------------------------------------

    def open(self, org_id: UUID, tier: str, transaction_id: UUID) -> None:
        self.check_is_not_open()
        self.check_tier_is_known(tier)
        self._record(BillingAccountOpened(org_id=org_id, tier=tier))
        self._record(SubscriptionAllotted(
            org_id=org_id, transaction_id=transaction_id, amount=monthly_allotment(tier),
            tier=tier,
        ))

    def top_up(
        self, org_id: UUID, transaction_id: UUID, amount: Decimal, description: str,
        request_key: str | None = None,
    ) -> UUID:
        """Add to the top-up balance; a request key seen before returns its transaction."""
        self.check_is_open()
        if request_key is not None and request_key in self.topup_keys:
            return self.topup_keys[request_key]
        value = self.check_top_up_amount(amount)
        self._record(ToppedUp(
            org_id=org_id, transaction_id=transaction_id, amount=value,
            description=description, request_key=request_key,
        ))
        return transaction_id

    def change_tier(
        self, org_id: UUID, tier: str, allocate_immediately: bool, withdraw_tx: UUID,
        allot_tx: UUID,
    ) -> None:
        """Move to another tier; with `allocate_immediately` its monthly allotment replaces the
        unused one (the subscription balance left is withdrawn). The current tier changes
        nothing, so it never grants a second allotment."""
        self.check_is_open()
        self.check_tier_is_known(tier)
        if tier == self.tier:
            return
        old_tier = self.tier
        self._record(SubscriptionTierChanged(org_id=org_id, old_tier=old_tier, new_tier=tier))
        if not allocate_immediately:
            return
        if self.subscription_balance > ZERO:
            self._record(SubscriptionAllotmentWithdrawn(
                org_id=org_id, transaction_id=withdraw_tx, amount=self.subscription_balance,
                old_tier=old_tier, new_tier=tier,
            ))
        self._record(SubscriptionAllotted(
            org_id=org_id, transaction_id=allot_tx, amount=monthly_allotment(tier), tier=tier,
        ))

    def reset_cycle(self, org_id: UUID, expire_tx: UUID, allot_tx: UUID) -> None:
        """Expire the unused subscription balance and allot a new month; top-up stays."""
        self.check_is_open()
        if self.subscription_balance > ZERO:
            self._record(SubscriptionExpired(
                org_id=org_id, transaction_id=expire_tx, amount=self.subscription_balance,
            ))
        self._record(SubscriptionAllotted(
            org_id=org_id, transaction_id=allot_tx, amount=monthly_allotment(self.tier),
            tier=self.tier,
        ))

    def change_settings(
        self, org_id: UUID, overage_enabled: bool | None = None,
        token_rate_multiplier: Decimal | None = None,
    ) -> None:
        """Change what is given (None keeps a setting); nothing is recorded if nothing changes."""
        self.check_is_open()
        enabled = self.overage_enabled if overage_enabled is None else bool(overage_enabled)
        rate = (self.token_rate_multiplier if token_rate_multiplier is None
                else self.check_rate(token_rate_multiplier))
        if enabled != self.overage_enabled or rate != self.token_rate_multiplier:
            self._record(BillingSettingsChanged(
                org_id=org_id, overage_enabled=enabled, token_rate_multiplier=rate,
            ))

    def adjust(
        self, org_id: UUID, transaction_id: UUID, amount: Decimal, balance_type: str,
        description: str,
    ) -> UUID:
        """Credit (amount > 0) or debit (amount < 0) the subscription or top-up balance."""
        self.check_is_open()
        self.check_balance_type(balance_type)
        value = self.check_adjustment_amount(amount)
        self.check_stays_not_negative(balance_type, value)
        self._record(BalanceAdjusted(
            org_id=org_id, transaction_id=transaction_id, amount=value,
            balance_type=balance_type, description=description,
        ))
        return transaction_id

    def charge(
        self, org_id: UUID, transaction_id: UUID, tokens_in: int, tokens_out: int,
        provider: str, model: str, purpose: str, reference_id: str | None = None,
        content_type: str = "",
    ) -> UUID:
        """Pay for tokens from subscription, then top-up, then overage (when enabled)."""
        self.check_is_open()
        self.check_token_count("input_tokens", tokens_in)
        self.check_token_count("output_tokens", tokens_out)
        cost = self.quote(tokens_in + tokens_out, provider, model)
        self.check_can_afford(cost)
        from_subscription = min(cost, max(self.subscription_balance, ZERO))
        from_topup = min(cost - from_subscription, max(self.topup_balance, ZERO))
        self._record(UsageCharged(
            org_id=org_id, transaction_id=transaction_id, amount=cost,
            from_subscription=from_subscription, from_topup=from_topup,
            from_overage=cost - from_subscription - from_topup,
            provider=provider, model=model, tier=model_tier_for(provider, model),
            input_tokens=tokens_in, output_tokens=tokens_out, purpose=purpose,
            reference_id=reference_id, content_type=content_type,
        ))
        return transaction_id

    # -- queries -------------------------------------------------------------------------

    def quote(self, tokens: int, provider: str, model: str) -> Decimal:
        """XCT that `tokens` tokens of this model cost this organization."""
        self.check_token_count("tokens", tokens)
        return self.balance().quote(tokens, provider, model)

    def can_afford(self, cost: Decimal) -> bool:
        return self.balance().can_afford(cost)

    # -- invariants ----------------------------------------------------------------------

    def check_is_open(self) -> None:
        if not self.opened:
            raise AccountNotOpenError("billing account not found")

    def check_is_not_open(self) -> None:
        if self.opened:
            raise AccountAlreadyOpenError("the organization already has a billing account")

    @staticmethod
    def check_tier_is_known(tier: str) -> None:
        if tier not in SUBSCRIPTION_TIERS:
            raise InvalidCommandError(f"tier must be one of: {', '.join(SUBSCRIPTION_TIERS)}")

    @staticmethod
    def check_top_up_amount(amount: Decimal) -> Decimal:
        value = exact_amount(amount, "amount", MAX_AMOUNT)
        if value <= ZERO:
            raise InvalidCommandError("amount must be greater than 0")
        return value

    @staticmethod
    def check_rate(rate: Decimal) -> Decimal:
        value = exact_amount(rate, "token_rate_multiplier", MAX_RATE)
        if value <= ZERO:
            raise InvalidCommandError("token_rate_multiplier must be greater than 0")
        return value

    @staticmethod
    def check_balance_type(balance_type: str) -> None:
        if balance_type not in BALANCE_TYPES:
            raise InvalidCommandError(
                f"balance_type must be one of: {', '.join(BALANCE_TYPES)} "
                "(the overage balance cannot be adjusted)"
            )

    @staticmethod
    def check_adjustment_amount(amount: Decimal) -> Decimal:
        value = exact_amount(amount, "amount", MAX_AMOUNT)
        if value == ZERO:
            raise InvalidCommandError("amount must not be 0")
        return value

    def check_stays_not_negative(self, balance_type: str, amount: Decimal) -> None:
        current = (self.subscription_balance if balance_type == "subscription"
                   else self.topup_balance)
        if current + amount < ZERO:
            raise BalanceBelowZeroError(
                f"amount would take the {balance_type} balance below zero (it is {current})"
            )

    @staticmethod
    def check_token_count(name: str, count: int) -> None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidCommandError(f"{name} must be a whole number of at least 0")

    def check_can_afford(self, cost: Decimal) -> None:
        if not self.can_afford(cost):
            raise InsufficientBalanceError(
                f"not enough XCT: {cost} needed, {self.total_balance} available"
            )

    # -- state ---------------------------------------------------------------------------

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case BillingAccountOpened(tier=tier):
                self.opened = True
                self.tier = tier
            case SubscriptionTierChanged(new_tier=tier):
                self.tier = tier
            case SubscriptionAllotted(amount=amount):
                self.subscription_balance += amount
            case SubscriptionExpired(amount=amount) | SubscriptionAllotmentWithdrawn(
                    amount=amount):
                self.subscription_balance -= amount
            case ToppedUp(amount=amount, transaction_id=transaction_id, request_key=key):
                self.topup_balance += amount
                if key is not None:
                    self.topup_keys[key] = transaction_id
                    if len(self.topup_keys) > TOPUP_KEYS_KEPT:
                        del self.topup_keys[next(iter(self.topup_keys))]  # the oldest
            case BillingSettingsChanged(overage_enabled=enabled, token_rate_multiplier=rate):
                self.overage_enabled = enabled
                self.token_rate_multiplier = rate
            case BalanceAdjusted(balance_type="subscription", amount=amount):
                self.subscription_balance += amount
            case BalanceAdjusted(balance_type="topup", amount=amount):
                self.topup_balance += amount
            case UsageCharged(from_subscription=sub, from_topup=topup, from_overage=overage):
                self.subscription_balance -= sub
                self.topup_balance -= topup
                self.overage_balance += overage


def balance_as_of(
    aggregate_id: UUID, events: Iterable[DomainEvent], as_of: datetime
) -> BillingAccount:
    """The account as it stood at `as_of`: rebuilt from the events that had happened by then."""
    return BillingAccount.rebuild(aggregate_id, (e for e in events if e.occurred_at <= as_of))

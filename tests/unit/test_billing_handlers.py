"""Billing commands through the command bus, on the in-memory event store."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.billing.accounts import (
    AdjustBalance,
    ChangeBillingSettings,
    ChangeSubscription,
    ChargeUsage,
    OpenBillingAccount,
    ResetBillingCycle,
    TopUp,
    adjust_balance,
    change_billing_settings,
    change_subscription,
    charge_usage,
    open_billing_account,
    reset_billing_cycle,
    top_up,
)
from commands.bus import CommandBus
from domain.billing.account import Balance, BillingAccount, billing_account_id
from domain.billing.errors import AccountNotOpenError
from domain.billing.events import BalanceAdjusted, ToppedUp, UsageCharged
from domain.errors import (
    ConcurrencyError,
    ConflictError,
    InsufficientBalanceError,
    InvalidCommandError,
)
from domain.events import DomainEvent
from domain.log import EventMeta, NewEvent

ORG = UUID("00000000-0000-0000-0000-0000000000b1")
META = EventMeta(actor_type="user", actor_id="admin-1", request_id="req-1")


class InterferingStore(InMemoryEventStore):
    """Another writer appends `intruder` to a stream right after its first load."""

    def __init__(self, intruder: DomainEvent | None = None) -> None:
        super().__init__()
        self.intruder = intruder
        self.loads = 0

    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]:
        events = super().load(aggregate_id, until)
        self.loads += 1
        if self.intruder is not None and events:
            intruder, self.intruder = self.intruder, None
            self.append([NewEvent(aggregate_id=aggregate_id,
                                  aggregate_version=len(events) + 1, event=intruder)],
                        EventMeta())
        return events


def given_an_account(
    store: InMemoryEventStore | None = None, overage_enabled: bool = False
) -> tuple[CommandBus, InMemoryEventStore]:
    store = store if store is not None else InMemoryEventStore()
    bus = CommandBus(store)
    bus.execute(open_billing_account, OpenBillingAccount(org_id=ORG, tier="free"), META)
    if overage_enabled:
        bus.execute(change_billing_settings,
                    ChangeBillingSettings(org_id=ORG, overage_enabled=True), META)
    return bus, store


def account_in(store: InMemoryEventStore) -> BillingAccount:
    account_id = billing_account_id(ORG)
    return BillingAccount.rebuild(account_id, store.load(account_id))


def topics(store: InMemoryEventStore) -> list[str]:
    return [recorded.topic for recorded in store.log]


def charge(tokens_in: int, tokens_out: int = 0) -> ChargeUsage:
    return ChargeUsage(org_id=ORG, provider="openai", model="gpt-4o-mini",
                       input_tokens=tokens_in, output_tokens=tokens_out,
                       purpose="product_description", reference_id="job-7")


def test_opening_an_account_through_the_bus_stores_the_first_allotment() -> None:
    store = InMemoryEventStore()
    outcome = CommandBus(store).execute(
        open_billing_account, OpenBillingAccount(org_id=ORG, tier="professional"), META)
    assert outcome.result == billing_account_id(ORG) and outcome.position == 2
    assert topics(store) == ["billing.BillingAccountOpened", "billing.SubscriptionAllotted"]
    assert store.log[0].meta == META
    assert account_in(store).subscription_balance == Decimal("5000000.00")


def test_opening_an_account_twice_is_a_conflict() -> None:
    bus, _ = given_an_account()
    with pytest.raises(ConflictError):
        bus.execute(open_billing_account, OpenBillingAccount(org_id=ORG, tier="free"), META)


def test_a_command_for_an_organization_without_an_account_is_not_found() -> None:
    bus = CommandBus(InMemoryEventStore())
    with pytest.raises(AccountNotOpenError):
        bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("5")), META)


def test_a_top_up_returns_the_transaction_it_recorded() -> None:
    bus, store = given_an_account()
    outcome = bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("12.34"),
                                        description="pack", request_key="idem-1"), META)
    event = store.log[-1].event
    assert isinstance(event, ToppedUp) and event.transaction_id == outcome.result
    assert outcome.position == store.log[-1].position
    assert outcome.events == (event,)
    assert account_in(store).topup_balance == Decimal("12.34")


def test_a_repeated_top_up_request_is_applied_once_and_returns_the_same_transaction() -> None:
    bus, store = given_an_account()
    cmd = TopUp(org_id=ORG, amount=Decimal("10"), description="", request_key="idem-1")
    first, second = bus.execute(top_up, cmd, META), bus.execute(top_up, cmd, META)
    assert second.result == first.result and second.position == 0
    assert len(first.events) == 1 and second.events == ()
    assert topics(store).count("billing.ToppedUp") == 1
    assert account_in(store).topup_balance == Decimal("10.00")


def test_an_invalid_top_up_amount_is_refused_and_nothing_is_stored() -> None:
    bus, store = given_an_account()
    with pytest.raises(InvalidCommandError, match="amount"):
        bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("0.001")), META)
    assert len(store.log) == 2


def test_usage_is_charged_and_the_transaction_returned() -> None:
    bus, store = given_an_account()
    outcome = bus.execute(charge_usage, charge(1_000, 500), META)
    event = store.log[-1].event
    assert isinstance(event, UsageCharged) and event.transaction_id == outcome.result
    assert (event.amount, event.tier, event.purpose) == (Decimal("1500.00"), "economy",
                                                         "product_description")
    assert account_in(store).subscription_balance == Decimal("48500.00")


def test_usage_beyond_the_balance_is_refused_when_overage_is_off() -> None:
    bus, store = given_an_account()
    with pytest.raises(InsufficientBalanceError, match=r"50001\.00 needed"):
        bus.execute(charge_usage, charge(50_001), META)
    assert "billing.UsageCharged" not in topics(store)


def test_usage_beyond_the_balance_goes_to_overage_when_enabled() -> None:
    bus, store = given_an_account(overage_enabled=True)
    bus.execute(charge_usage, charge(50_001), META)
    account = account_in(store)
    assert account.subscription_balance == 0
    assert account.overage_balance == Decimal("1.00")


def test_changing_the_subscription_returns_the_balance_after() -> None:
    bus, _ = given_an_account()
    outcome = bus.execute(change_subscription, ChangeSubscription(
        org_id=ORG, tier="starter", allocate_immediately=True), META)
    assert outcome.result == Balance(
        subscription_balance=Decimal("1000000.00"), topup_balance=Decimal("0.00"),
        total_balance=Decimal("1000000.00"), overage_balance=Decimal("0.00"),
        subscription_tier="starter", overage_enabled=False,
        token_rate_multiplier=Decimal("1.00"))


def test_changing_to_the_current_tier_appends_nothing() -> None:
    bus, store = given_an_account()
    first = bus.execute(change_subscription, ChangeSubscription(
        org_id=ORG, tier="starter", allocate_immediately=True), META)
    recorded = topics(store)
    again = bus.execute(change_subscription, ChangeSubscription(
        org_id=ORG, tier="starter", allocate_immediately=True), META)
    assert again.position == 0 and topics(store) == recorded
    assert again.result == first.result


def test_resetting_the_cycle_returns_the_fresh_balance() -> None:
    bus, _ = given_an_account()
    bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("7")), META)
    bus.execute(charge_usage, charge(49_000), META)
    balance = bus.execute(reset_billing_cycle, ResetBillingCycle(org_id=ORG), META).result
    assert (balance.subscription_balance, balance.topup_balance) == (Decimal("50000.00"),
                                                                     Decimal("7.00"))


def test_changing_settings_returns_the_new_settings() -> None:
    bus, _ = given_an_account()
    balance = bus.execute(change_billing_settings, ChangeBillingSettings(
        org_id=ORG, overage_enabled=True, token_rate_multiplier=Decimal("0.5")), META).result
    assert balance.overage_enabled and balance.token_rate_multiplier == Decimal("0.50")


def test_an_adjustment_returns_its_transaction_and_cannot_touch_overage() -> None:
    bus, store = given_an_account()
    outcome = bus.execute(adjust_balance, AdjustBalance(
        org_id=ORG, amount=Decimal("-0.01"), balance_type="subscription",
        description="correction"), META)
    event = store.log[-1].event
    assert isinstance(event, BalanceAdjusted) and event.transaction_id == outcome.result
    with pytest.raises(InvalidCommandError, match="balance_type"):
        bus.execute(adjust_balance, AdjustBalance(
            org_id=ORG, amount=Decimal("5"), balance_type="overage"), META)


def test_a_stale_write_is_retried_on_fresh_state() -> None:
    intruder = UsageCharged(
        org_id=ORG, transaction_id=uuid4(), amount=Decimal("49990.00"),
        from_subscription=Decimal("49990.00"), from_topup=Decimal("0"),
        from_overage=Decimal("0"), provider="openai", model="gpt-4o-mini", tier="economy",
        input_tokens=49_990, output_tokens=0, purpose="other")
    store = InterferingStore()
    bus, _ = given_an_account(store)
    store.intruder = intruder
    with pytest.raises(InsufficientBalanceError, match=r"20\.00 needed, 10\.00 available"):
        bus.execute(charge_usage, charge(20), META)
    assert store.loads == 3  # open, the stale attempt, the retry
    assert topics(store)[-1] == "billing.UsageCharged" and len(store.log) == 3


def test_a_top_up_racing_its_own_retry_is_still_applied_once() -> None:
    store = InterferingStore()
    bus, _ = given_an_account(store)
    earlier = uuid4()
    store.intruder = ToppedUp(org_id=ORG, transaction_id=earlier, amount=Decimal("10.00"),
                              description="", request_key="idem-9")
    outcome = bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("10"),
                                        request_key="idem-9"), META)
    assert outcome.result == earlier and outcome.position == 0
    assert account_in(store).topup_balance == Decimal("10.00")


def test_a_stale_write_that_may_not_be_retried_is_a_concurrency_error() -> None:
    store = InterferingStore()
    bus, _ = given_an_account(store)
    store.intruder = ToppedUp(org_id=ORG, transaction_id=uuid4(), amount=Decimal("1.00"),
                              description="")
    with pytest.raises(ConcurrencyError):
        bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("2")), META, retryable=False)
    assert account_in(store).topup_balance == Decimal("1.00")

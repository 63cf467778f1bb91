"""The billing account, given past events, when a command, then the events it records."""

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.billing.account import BillingAccount, balance_as_of, billing_account_id
from domain.billing.errors import AccountNotOpenError, BalanceBelowZeroError
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
from domain.billing.tiers import MODEL_TIERS, model_tier_for
from domain.catalogue import EVENTS
from domain.errors import (
    ConflictError,
    InsufficientBalanceError,
    InvalidCommandError,
)
from domain.events import DomainEvent
from tests.unit.world import given, then

ORG = UUID("00000000-0000-0000-0000-00000000000a")
ACCOUNT = billing_account_id(ORG)
TX, TX2 = UUID(int=1), UUID(int=2)
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def opened(tier: str = "free", allotment: str = "50000.00") -> tuple[DomainEvent, ...]:
    return (
        BillingAccountOpened(org_id=ORG, tier=tier),
        SubscriptionAllotted(org_id=ORG, transaction_id=UUID(int=99), amount=Decimal(allotment),
                             tier=tier),
    )


def topped_up(amount: str, key: str | None = None, tx: UUID = TX) -> ToppedUp:
    return ToppedUp(org_id=ORG, transaction_id=tx, amount=Decimal(amount), description="",
                    request_key=key)


def overage_on(rate: str = "1.00") -> BillingSettingsChanged:
    return BillingSettingsChanged(org_id=ORG, overage_enabled=True,
                                  token_rate_multiplier=Decimal(rate))


def charged(amount: str, sub: str, topup: str = "0", over: str = "0",
            model: str = "claude-haiku-4-5", tokens: tuple[int, int] = (0, 0)) -> UsageCharged:
    return UsageCharged(
        org_id=ORG, transaction_id=TX, amount=Decimal(amount), from_subscription=Decimal(sub),
        from_topup=Decimal(topup), from_overage=Decimal(over), provider="anthropic",
        model=model, tier=model_tier_for("anthropic", model), input_tokens=tokens[0],
        output_tokens=tokens[1], purpose="generation", reference_id="job-1",
    )


def charge(account: BillingAccount, tokens_in: int, tokens_out: int,
           model: str = "claude-haiku-4-5") -> UUID:
    return account.charge(ORG, TX, tokens_in, tokens_out, "anthropic", model, "generation",
                          "job-1")


def test_opening_an_account_grants_the_tiers_monthly_allotment() -> None:
    account = given(BillingAccount, id=ACCOUNT)
    account.open(ORG, "starter", TX)
    then(account, BillingAccountOpened(org_id=ORG, tier="starter"),
         SubscriptionAllotted(org_id=ORG, transaction_id=TX, amount=Decimal("1000000.00"),
                              tier="starter"))
    assert account.subscription_balance == Decimal("1000000.00")
    assert account.topup_balance == account.overage_balance == Decimal("0.00")
    assert not account.overage_enabled and account.token_rate_multiplier == Decimal("1.00")


def test_an_account_cannot_be_opened_twice() -> None:
    with pytest.raises(ConflictError):
        given(BillingAccount, *opened(), id=ACCOUNT).open(ORG, "free", TX)


def test_an_unknown_tier_is_refused_with_the_valid_tiers() -> None:
    with pytest.raises(InvalidCommandError, match="free, starter, professional, enterprise"):
        given(BillingAccount, id=ACCOUNT).open(ORG, "gold", TX)


@pytest.mark.parametrize("command", [
    lambda a: a.top_up(ORG, TX, Decimal("1"), "", None),
    lambda a: a.change_tier(ORG, "starter", True, TX, TX2),
    lambda a: a.reset_cycle(ORG, TX, TX2),
    lambda a: a.change_settings(ORG, True, None),
    lambda a: a.adjust(ORG, TX, Decimal("1"), "topup", ""),
    lambda a: charge(a, 1, 1),
])
def test_every_command_but_open_needs_an_opened_account(
    command: Callable[[BillingAccount], object],
) -> None:
    with pytest.raises(AccountNotOpenError):
        command(given(BillingAccount, id=ACCOUNT))


def test_a_top_up_adds_to_the_top_up_balance() -> None:
    account = given(BillingAccount, *opened(), id=ACCOUNT)
    assert account.top_up(ORG, TX, Decimal("250.5"), "March pack", "key-1") == TX
    then(account, ToppedUp(org_id=ORG, transaction_id=TX, amount=Decimal("250.50"),
                           description="March pack", request_key="key-1"))
    assert account.topup_balance == Decimal("250.50")
    assert account.total_balance == Decimal("50250.50")


def test_a_top_up_with_a_request_key_seen_before_is_applied_once() -> None:
    account = given(BillingAccount, *opened(), topped_up("100", key="key-1", tx=TX), id=ACCOUNT)
    assert account.top_up(ORG, TX2, Decimal("100"), "", "key-1") == TX
    then(account)
    assert account.topup_balance == Decimal("100")


@pytest.mark.parametrize("amount", [
    Decimal("0"), Decimal("-1"), Decimal("0.001"), Decimal("1000000000.01"), Decimal("NaN"),
    Decimal("Infinity"), 1.5, True,
])
def test_a_top_up_amount_must_be_positive_at_most_a_billion_and_in_cents(amount: Decimal) -> None:
    with pytest.raises(InvalidCommandError, match="amount"):
        given(BillingAccount, *opened(), id=ACCOUNT).top_up(ORG, TX, amount, "", None)


def test_a_top_up_of_exactly_a_billion_is_accepted() -> None:
    account = given(BillingAccount, *opened(), id=ACCOUNT)
    account.top_up(ORG, TX, Decimal("1000000000"), "", None)
    assert account.topup_balance == Decimal("1000000000.00")


def test_a_charge_is_paid_from_the_subscription_first() -> None:
    account = given(BillingAccount, *opened(), topped_up("500"), id=ACCOUNT)
    charge(account, 300, 100)
    then(account, charged("400.00", sub="400.00", tokens=(300, 100)))
    assert account.subscription_balance == Decimal("49600.00")
    assert account.topup_balance == Decimal("500")


def test_a_charge_spills_from_subscription_to_top_up_then_to_overage() -> None:
    account = given(BillingAccount, *opened(allotment="100"), topped_up("50"), overage_on(), id=ACCOUNT)
    charge(account, 120, 80)
    then(account, charged("200.00", sub="100", topup="50", over="50.00", tokens=(120, 80)))
    assert account.subscription_balance == account.topup_balance == Decimal("0")
    assert account.overage_balance == Decimal("50.00")


def test_a_charge_beyond_the_balance_is_refused_when_overage_is_off() -> None:
    account = given(BillingAccount, *opened(allotment="100"), topped_up("50"), id=ACCOUNT)
    assert not account.can_afford(Decimal("150.01"))
    with pytest.raises(InsufficientBalanceError, match=r"200\.00 needed, 150(\.00)? available"):
        charge(account, 120, 80)
    then(account)
    assert account.total_balance == Decimal("150")


def test_a_charge_that_empties_the_balance_exactly_is_allowed_without_overage() -> None:
    account = given(BillingAccount, *opened(allotment="100"), topped_up("50"), id=ACCOUNT)
    charge(account, 100, 50)
    then(account, charged("150.00", sub="100", topup="50", tokens=(100, 50)))
    assert account.total_balance == 0 and account.overage_balance == 0


def test_cost_is_exact_decimal_tokens_times_model_tier_times_rate() -> None:
    account = given(BillingAccount, *opened(), overage_on(rate="1.25"), id=ACCOUNT)
    cost = account.quote(1_234, "openai", "gpt-4o")
    assert cost == Decimal("3085.00") and str(cost) == "3085.00"
    assert account.quote(1_234, "anthropic", "claude-opus-4-1") == Decimal("7712.50")
    assert account.quote(3, "deepseek", "deepseek-chat") == Decimal("3.75")
    charge(account, 1_000, 234, model="claude-sonnet-4-5")
    (event,) = account.collect()
    assert isinstance(event, UsageCharged)
    assert event.amount == Decimal("3085.00") and event.tier == "standard"


def test_an_unknown_model_is_priced_as_standard() -> None:
    assert model_tier_for("mistral", "large") == "standard"
    assert given(BillingAccount, *opened(), id=ACCOUNT).quote(10, "mistral", "large") == Decimal("20.00")


def test_token_counts_must_be_whole_and_not_negative() -> None:
    with pytest.raises(InvalidCommandError, match="input_tokens"):
        charge(given(BillingAccount, *opened(), id=ACCOUNT), -1, 5)
    with pytest.raises(InvalidCommandError, match="output_tokens"):
        charge(given(BillingAccount, *opened(), id=ACCOUNT), 1, 2.5)  # type: ignore[arg-type]


def test_a_cycle_reset_expires_only_the_subscription_balance() -> None:
    account = given(BillingAccount, *opened(tier="starter", allotment="1000000"), topped_up("70"),
                    charged("400", sub="400"), id=ACCOUNT)
    account.reset_cycle(ORG, TX, TX2)
    then(account,
         SubscriptionExpired(org_id=ORG, transaction_id=TX, amount=Decimal("999600")),
         SubscriptionAllotted(org_id=ORG, transaction_id=TX2, amount=Decimal("1000000.00"),
                              tier="starter"))
    assert account.subscription_balance == Decimal("1000000.00")
    assert account.topup_balance == Decimal("70")


def test_a_cycle_reset_with_no_subscription_left_only_allots() -> None:
    account = given(BillingAccount, *opened(allotment="10"), charged("10", sub="10"), id=ACCOUNT)
    account.reset_cycle(ORG, TX, TX2)
    then(account, SubscriptionAllotted(org_id=ORG, transaction_id=TX2,
                                       amount=Decimal("50000.00"), tier="free"))


def test_an_adjustment_credits_or_debits_one_balance() -> None:
    account = given(BillingAccount, *opened(), topped_up("20"), id=ACCOUNT)
    account.adjust(ORG, TX, Decimal("-20"), "topup", "refund")
    account.adjust(ORG, TX2, Decimal("5.25"), "subscription", "goodwill")
    then(account,
         BalanceAdjusted(org_id=ORG, transaction_id=TX, amount=Decimal("-20.00"),
                         balance_type="topup", description="refund"),
         BalanceAdjusted(org_id=ORG, transaction_id=TX2, amount=Decimal("5.25"),
                         balance_type="subscription", description="goodwill"))
    assert account.topup_balance == 0
    assert account.subscription_balance == Decimal("50005.25")


@pytest.mark.parametrize("balance_type", ["overage", "total", ""])
def test_an_adjustment_cannot_target_the_overage_or_another_balance(balance_type: str) -> None:
    with pytest.raises(InvalidCommandError, match="balance_type"):
        given(BillingAccount, *opened(), id=ACCOUNT).adjust(ORG, TX, Decimal("5"), balance_type, "")


def test_a_debit_adjustment_cannot_take_a_balance_below_zero() -> None:
    account = given(BillingAccount, *opened(), topped_up("20"), id=ACCOUNT)
    with pytest.raises(BalanceBelowZeroError):
        account.adjust(ORG, TX, Decimal("-20.01"), "topup", "")
    then(account)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("0.001")])
def test_an_adjustment_amount_must_be_non_zero_cents(amount: Decimal) -> None:
    with pytest.raises(InvalidCommandError, match="amount"):
        given(BillingAccount, *opened(), id=ACCOUNT).adjust(ORG, TX, amount, "topup", "")


def test_a_tier_change_without_allocation_keeps_the_balance() -> None:
    account = given(BillingAccount, *opened(), id=ACCOUNT)
    account.change_tier(ORG, "professional", False, TX, TX2)
    then(account, SubscriptionTierChanged(org_id=ORG, old_tier="free", new_tier="professional"))
    assert account.tier == "professional"
    assert account.subscription_balance == Decimal("50000.00")


def test_a_tier_change_with_allocation_replaces_the_unused_allotment() -> None:
    account = given(BillingAccount, *opened(), charged("400", sub="400"), topped_up("70"), id=ACCOUNT)
    account.change_tier(ORG, "enterprise", True, TX, TX2)
    then(account,
         SubscriptionTierChanged(org_id=ORG, old_tier="free", new_tier="enterprise"),
         SubscriptionAllotmentWithdrawn(org_id=ORG, transaction_id=TX,
                                        amount=Decimal("49600.00"), old_tier="free",
                                        new_tier="enterprise"),
         SubscriptionAllotted(org_id=ORG, transaction_id=TX2, amount=Decimal("25000000.00"),
                              tier="enterprise"))
    assert account.subscription_balance == Decimal("25000000.00")
    assert account.topup_balance == Decimal("70")


def test_a_tier_change_with_allocation_and_nothing_left_only_allots() -> None:
    account = given(BillingAccount, *opened(allotment="10"), charged("10", sub="10"), id=ACCOUNT)
    account.change_tier(ORG, "starter", True, TX, TX2)
    then(account,
         SubscriptionTierChanged(org_id=ORG, old_tier="free", new_tier="starter"),
         SubscriptionAllotted(org_id=ORG, transaction_id=TX2, amount=Decimal("1000000.00"),
                              tier="starter"))


@pytest.mark.parametrize("allocate_immediately", [True, False])
def test_a_change_to_the_current_tier_allots_nothing(allocate_immediately: bool) -> None:
    account = given(BillingAccount, *opened(tier="starter", allotment="1000000"),
                    charged("400", sub="400"), id=ACCOUNT)
    account.change_tier(ORG, "starter", allocate_immediately, TX, TX2)
    then(account)
    assert (account.tier, account.subscription_balance) == ("starter", Decimal("999600"))


def test_a_tier_change_to_an_unknown_tier_is_refused() -> None:
    with pytest.raises(InvalidCommandError, match="tier must be one of"):
        given(BillingAccount, *opened(), id=ACCOUNT).change_tier(ORG, "platinum", False, TX, TX2)


def test_settings_changes_record_the_whole_new_settings() -> None:
    account = given(BillingAccount, *opened(), id=ACCOUNT)
    account.change_settings(ORG, None, Decimal("1.5"))
    account.change_settings(ORG, True, None)
    then(account,
         BillingSettingsChanged(org_id=ORG, overage_enabled=False,
                                token_rate_multiplier=Decimal("1.50")),
         BillingSettingsChanged(org_id=ORG, overage_enabled=True,
                                token_rate_multiplier=Decimal("1.50")))


def test_settings_that_change_nothing_record_nothing() -> None:
    account = given(BillingAccount, *opened(), overage_on(rate="2.00"), id=ACCOUNT)
    account.change_settings(ORG, True, Decimal("2"))
    account.change_settings(ORG, None, None)
    then(account)


@pytest.mark.parametrize("rate", [
    Decimal("0"), Decimal("-1"), Decimal("100.01"), Decimal("1.005"), Decimal("NaN"), 1.25,
])
def test_the_token_rate_multiplier_must_be_above_0_at_most_100_in_cents(rate: Decimal) -> None:
    with pytest.raises(InvalidCommandError, match="token_rate_multiplier"):
        given(BillingAccount, *opened(), id=ACCOUNT).change_settings(ORG, None, rate)


def test_a_token_rate_multiplier_of_100_is_accepted() -> None:
    account = given(BillingAccount, *opened(), id=ACCOUNT)
    account.change_settings(ORG, None, Decimal("100"))
    assert account.token_rate_multiplier == Decimal("100.00")


def test_the_balance_as_of_a_moment_counts_only_the_events_before_it() -> None:
    def at(days: int, event: DomainEvent) -> DomainEvent:
        return dataclasses.replace(event, occurred_at=EPOCH + timedelta(days=days))

    history = [*(at(0, e) for e in opened()), at(1, topped_up("10")),
               at(3, charged("60", sub="60")), at(5, topped_up("5"))]
    account = balance_as_of(ACCOUNT, history, EPOCH + timedelta(days=3))
    assert (account.subscription_balance, account.topup_balance) == (Decimal("49940.00"),
                                                                      Decimal("10"))
    assert account.version == 4
    assert balance_as_of(ACCOUNT, history, EPOCH - timedelta(days=1)).opened is False


SAMPLES: list[DomainEvent] = [
    *opened(),
    SubscriptionTierChanged(org_id=ORG, old_tier="free", new_tier="starter"),
    SubscriptionExpired(org_id=ORG, transaction_id=TX, amount=Decimal("1")),
    SubscriptionAllotmentWithdrawn(org_id=ORG, transaction_id=TX, amount=Decimal("1"),
                                   old_tier="starter", new_tier="free"),
    topped_up("1", key="k"), topped_up("1"), overage_on(),
    BalanceAdjusted(org_id=ORG, transaction_id=TX, amount=Decimal("-1"), balance_type="topup",
                    description=""),
    BalanceAdjusted(org_id=ORG, transaction_id=TX, amount=Decimal("1"),
                    balance_type="subscription", description=""),
    BalanceAdjusted(org_id=ORG, transaction_id=TX, amount=Decimal("1"), balance_type="overage",
                    description=""),
    charged("1", sub="0", over="1"),
    DomainEvent(org_id=ORG),
]


def test_the_samples_cover_every_billing_event() -> None:
    billing = {cls for cls in EVENTS.values() if cls.context == "billing"}
    assert billing == {type(e) for e in SAMPLES if type(e).context == "billing"}


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_evolve_never_raises_on_any_event_in_any_state(event: DomainEvent) -> None:
    states = (given(BillingAccount, id=ACCOUNT), given(BillingAccount, *opened(), id=ACCOUNT),
              given(BillingAccount, *SAMPLES, id=ACCOUNT))
    for state in states:
        state.evolve(event)


def test_the_account_id_is_derived_from_the_organization() -> None:
    assert billing_account_id(ORG) == ACCOUNT
    assert billing_account_id(UUID(int=7)) != ACCOUNT


def test_model_tiers_are_immutable_data_with_their_multipliers() -> None:
    assert {name: t.multiplier for name, t in MODEL_TIERS.items()} == {
        "economy": 1, "standard": 2, "premium": 5}
    assert MODEL_TIERS["standard"].models["openai"] == ("gpt-4o", "gpt-4.1")
    assert model_tier_for("template", "template-writer") == "economy"
    assert model_tier_for("deepseek", "deepseek-reasoner") == "premium"
    with pytest.raises(TypeError):
        MODEL_TIERS["economy"].models["openai"] = ("x",)  # type: ignore[index]

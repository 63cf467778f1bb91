"""Billing commands and their handlers: get the organization's account, call one method."""

import dataclasses
from decimal import Decimal
from uuid import UUID, uuid4

from commands.unit_of_work import UnitOfWork
from domain.billing.account import Balance, BillingAccount, billing_account_id


@dataclasses.dataclass(frozen=True, kw_only=True)
class OpenBillingAccount:
    org_id: UUID
    tier: str = "free"


@dataclasses.dataclass(frozen=True, kw_only=True)
class TopUp:
    org_id: UUID
    amount: Decimal
    description: str = ""
    request_key: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeSubscription:
    org_id: UUID
    tier: str
    allocate_immediately: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResetBillingCycle:
    org_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeBillingSettings:
    org_id: UUID
    overage_enabled: bool | None = None
    token_rate_multiplier: Decimal | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AdjustBalance:
    org_id: UUID
    amount: Decimal
    balance_type: str
    description: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChargeUsage:
    org_id: UUID
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    purpose: str
    reference_id: str | None = None
    content_type: str = ""


def _account(uow: UnitOfWork, org_id: UUID) -> BillingAccount:
    account = uow.get(BillingAccount, billing_account_id(org_id))
    account.check_is_open()
    return account


def open_billing_account(uow: UnitOfWork, cmd: OpenBillingAccount) -> UUID:
    """Open the organization's account with its tier's first allotment; the account id."""
    account = uow.get(BillingAccount, billing_account_id(cmd.org_id))
    account.open(cmd.org_id, cmd.tier, uuid4())
    return account.id


def top_up(uow: UnitOfWork, cmd: TopUp) -> UUID:
    """Add XCT to the top-up balance; the transaction id (the earlier one for a known key)."""
    return _account(uow, cmd.org_id).top_up(
        cmd.org_id, uuid4(), cmd.amount, cmd.description, cmd.request_key
    )


def change_subscription(uow: UnitOfWork, cmd: ChangeSubscription) -> Balance:
    """Move to another tier, its monthly XCT replacing the unused allotment now if asked (the
    current tier changes nothing); the balance after."""
    account = _account(uow, cmd.org_id)
    account.change_tier(cmd.org_id, cmd.tier, cmd.allocate_immediately, uuid4(), uuid4())
    return account.balance()


def reset_billing_cycle(uow: UnitOfWork, cmd: ResetBillingCycle) -> Balance:
    """Expire the unused subscription XCT and allot a new month; the balance after."""
    account = _account(uow, cmd.org_id)
    account.reset_cycle(cmd.org_id, uuid4(), uuid4())
    return account.balance()


def change_billing_settings(uow: UnitOfWork, cmd: ChangeBillingSettings) -> Balance:
    """Turn overage on or off and set the token rate; the balance after."""
    account = _account(uow, cmd.org_id)
    account.change_settings(cmd.org_id, cmd.overage_enabled, cmd.token_rate_multiplier)
    return account.balance()


def adjust_balance(uow: UnitOfWork, cmd: AdjustBalance) -> UUID:
    """Credit or debit the subscription or top-up balance by hand; the transaction id."""
    return _account(uow, cmd.org_id).adjust(
        cmd.org_id, uuid4(), cmd.amount, cmd.balance_type, cmd.description
    )


def charge_usage(uow: UnitOfWork, cmd: ChargeUsage) -> UUID:
    """Pay for an AI call's tokens (InsufficientBalanceError if it cannot); the transaction id."""
    return _account(uow, cmd.org_id).charge(
        cmd.org_id, uuid4(), cmd.input_tokens, cmd.output_tokens, cmd.provider, cmd.model,
        cmd.purpose, cmd.reference_id, cmd.content_type,
    )

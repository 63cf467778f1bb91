"""`/api/v1/billing/...`: XCT balances, the ledger, usage, and the admin's billing commands."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, get, patch, post
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.billing.schemas import (
    AdjustmentIn,
    BalanceOut,
    ModelTiersOut,
    SettingsIn,
    SubscriptionIn,
    TopUpIn,
    TransactionPage,
)
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from api.paging import MAX_PAGE, MAX_PAGE_SIZE
from api.principal import Principal
from api.services import Services
from commands.billing import accounts as handlers
from commands.bus import Outcome
from domain.billing.account import BillingAccount, balance_as_of, billing_account_id
from domain.billing.events import BalanceAdjusted, ToppedUp
from domain.errors import MalformedInputError, NotFoundError
from projections.billing import queries
from projections.billing.queries import LedgerEntry, UsageSummary, xct

WAIT_FOR = ("billing",)
AUTH: dict[str, Any] = AUTHENTICATED


async def _balance_as_of(services: Services, org_id: UUID, as_of: datetime) -> BalanceOut:
    moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    account_id = billing_account_id(org_id)
    events = await anyio.to_thread.run_sync(lambda: services.store.load(account_id, moment))
    account: BillingAccount = balance_as_of(account_id, events, moment)
    return BalanceOut.of(account.balance())


def iso_moment(value: str, name: str) -> datetime:
    """An ISO-8601 date-time or date (midnight); 400 naming `name` for anything else (Litestar
    would take a number as a Unix timestamp)."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise MalformedInputError(f"{name} must be an ISO-8601 date or date-time, not {value!r}"
                                  ) from None


@get("/api/v1/billing/balance", operation_id="get_billing_balance", tags=["billing"],
     summary="Get XCT balance", dependencies=AUTH)
async def get_billing_balance(
    services: AppServices,
    principal: Caller,
    as_of: Annotated[str | None, Parameter(
        description="ISO-8601 date-time (or date): the balance as it stood then, from the event"
                    " log", schema_extra={"format": "date-time"},
    )] = None,
) -> BalanceOut:
    if as_of is not None:
        return await _balance_as_of(services, principal.org_id, iso_moment(as_of, "as_of"))
    async with services.pool.connection() as conn:
        balance = await queries.get_balance(conn, principal.org_id)
    if balance is None:
        raise NotFoundError("billing account not found")
    return BalanceOut.of(balance)


@get("/api/v1/billing/transactions", operation_id="list_billing_transactions",
     tags=["billing"], summary="List XCT transactions", dependencies=AUTH)
async def list_billing_transactions(
    services: AppServices,
    principal: Caller,
    page: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> TransactionPage:
    async with services.pool.connection() as conn:
        entries, total = await queries.list_transactions(conn, principal.org_id, page, page_size)
    return TransactionPage(transactions=entries, total=total, page=page, page_size=page_size)


@get("/api/v1/billing/usage-summary", operation_id="get_billing_usage_summary",
     tags=["billing"], summary="Get billing usage summary", dependencies=AUTH)
async def get_billing_usage_summary(
    services: AppServices,
    principal: Caller,
    days: Annotated[int, Parameter(ge=1, le=365)] = 30,
) -> UsageSummary:
    async with services.pool.connection() as conn:
        return await queries.usage_summary(conn, principal.org_id, days)


@get("/api/v1/billing/model-tiers", operation_id="list_billing_model_tiers", tags=["billing"],
     summary="List model tier pricing", dependencies=AUTH)
async def list_billing_model_tiers(principal: Caller) -> ModelTiersOut:
    return ModelTiersOut.all()


async def _entry_written(
    services: Services, principal: Principal, outcome: Outcome[UUID],
) -> LedgerEntry:
    """The ledger entry of the transaction the command answered with, as the read model will
    show it: from the event the command just appended, or, when it appended none (a top-up
    key seen before), from the read model."""
    for event in outcome.events:
        match event:
            case ToppedUp(transaction_id=tx) if tx == outcome.result:
                return _entry(event, principal, tx, "topup", event.amount, "topup")
            case BalanceAdjusted(transaction_id=tx) if tx == outcome.result:
                return _entry(event, principal, tx, "adjustment", event.amount,
                              event.balance_type)
    async with services.pool.connection() as conn:
        entry = await queries.get_transaction(conn, principal.org_id, outcome.result)
    if entry is None:
        raise NotFoundError("billing transaction not found")
    return entry


def _entry(event: ToppedUp | BalanceAdjusted, principal: Principal, transaction_id: UUID,
           kind: str, amount: Decimal, balance_type: str) -> LedgerEntry:
    return LedgerEntry(id=str(transaction_id), transaction_type=kind, amount=xct(amount),
                       balance_type=balance_type, description=event.description,
                       created_at=event.occurred_at.isoformat(),
                       created_by=str(principal.actor_id))


@post("/api/v1/billing/topup", operation_id="billing_topup", tags=["billing"],
      summary="Add XCT top-up", dependencies=AUTH, status_code=200, guards=[admin_only])
async def billing_topup(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: TopUpIn
) -> LedgerEntry:
    """Admin: add XCT to the top-up balance (it never expires). The `Idempotency-Key` is also
    the domain's request key, so a key is charged once even past the replay window."""
    command = handlers.TopUp(org_id=principal.org_id, amount=data.amount,
                             description=data.description,
                             request_key=request.headers.get("idempotency-key"))
    outcome = await run_command(request, principal, handlers.top_up, command, wait_for=WAIT_FOR)
    return await _entry_written(services, principal, outcome)


@patch("/api/v1/billing/subscription", operation_id="change_billing_subscription",
       tags=["billing"], summary="Change subscription tier", dependencies=AUTH, guards=[admin_only])
async def change_billing_subscription(
    request: Request[Any, Any, Any], principal: Caller, data: SubscriptionIn
) -> BalanceOut:
    """Admin: move to another tier, optionally allotting its monthly XCT now."""
    command = handlers.ChangeSubscription(org_id=principal.org_id, tier=data.tier,
                                          allocate_immediately=data.allocate_immediately)
    outcome = await run_command(request, principal, handlers.change_subscription, command,
                                wait_for=WAIT_FOR)
    return BalanceOut.of(outcome.result)


@post("/api/v1/billing/reset-cycle", operation_id="reset_billing_cycle", tags=["billing"],
      summary="Reset billing cycle", dependencies=AUTH, guards=[admin_only], status_code=200)
async def reset_billing_cycle(request: Request[Any, Any, Any], principal: Caller) -> BalanceOut:
    """Admin: expire the unused subscription XCT and allot a new month; top-up stays."""
    command = handlers.ResetBillingCycle(org_id=principal.org_id)
    outcome = await run_command(request, principal, handlers.reset_billing_cycle, command,
                                wait_for=WAIT_FOR)
    return BalanceOut.of(outcome.result)


@patch("/api/v1/billing/settings", operation_id="change_billing_settings", tags=["billing"],
       summary="Update billing settings", dependencies=AUTH, guards=[admin_only])
async def change_billing_settings(
    request: Request[Any, Any, Any], principal: Caller, data: SettingsIn
) -> BalanceOut:
    """Admin: turn overage on or off and set the token rate multiplier (null keeps it)."""
    command = handlers.ChangeBillingSettings(org_id=principal.org_id,
                                             overage_enabled=data.overage_enabled,
                                             token_rate_multiplier=data.token_rate_multiplier)
    outcome = await run_command(request, principal, handlers.change_billing_settings, command,
                                wait_for=WAIT_FOR)
    return BalanceOut.of(outcome.result)


@post("/api/v1/billing/adjustment", operation_id="adjust_billing_balance", tags=["billing"],
      summary="Adjust XCT balance", dependencies=AUTH, status_code=200, guards=[admin_only])
async def adjust_billing_balance(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: AdjustmentIn
) -> LedgerEntry:
    """Admin: credit (amount > 0) or debit (amount < 0) the subscription or top-up balance."""
    command = handlers.AdjustBalance(org_id=principal.org_id, amount=data.amount,
                                     balance_type=data.balance_type,
                                     description=data.description)
    outcome = await run_command(request, principal, handlers.adjust_balance, command,
                                wait_for=WAIT_FOR)
    return await _entry_written(services, principal, outcome)


ROUTES = [
    get_billing_balance, list_billing_transactions, get_billing_usage_summary,
    list_billing_model_tiers, billing_topup, change_billing_subscription, reset_billing_cycle,
    change_billing_settings, adjust_billing_balance,
]

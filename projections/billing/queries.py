"""Queries over the BillingLedger read models; each filters by the organization."""

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
from psycopg import AsyncConnection

from domain.billing.account import Balance
from domain.billing.tiers import CENT, MODEL_TIERS, ZERO
from projections.billing.projection import SCHEMA


def xct(amount: Decimal) -> str:
    """An XCT amount as the API shows it: a decimal string with 2 places ("1000.00")."""
    return "0.00" if amount == ZERO else str(amount.quantize(CENT))


class LedgerEntry(msgspec.Struct):
    id: str
    transaction_type: str
    amount: str
    balance_type: str
    description: str
    created_at: str
    created_by: str | None


class TierUsage(msgspec.Struct):
    tier: str
    request_count: int
    total_tokens: int
    xct_used: str


class UsageSummary(msgspec.Struct):
    period_start: str
    period_end: str
    total_xct_used: str
    by_tier: list[TierUsage]
    by_provider: dict[str, str]


_BALANCE = (
    "SELECT subscription_balance, topup_balance, overage_balance, subscription_tier,"
    f" overage_enabled, token_rate_multiplier FROM {SCHEMA}.balances WHERE org_id = %s"
)
_ENTRY = (
    "SELECT id, transaction_type, amount, balance_type, description, created_at, created_by"
    f" FROM {SCHEMA}.transactions"
)


async def get_balance(conn: AsyncConnection, org_id: UUID) -> Balance | None:
    cur = await conn.execute(_BALANCE, (org_id,))
    row = await cur.fetchone()
    if row is None:
        return None
    subscription, topup, overage, tier, enabled, rate = row
    return Balance(
        subscription_balance=subscription, topup_balance=topup,
        total_balance=subscription + topup, overage_balance=overage, subscription_tier=tier,
        overage_enabled=enabled, token_rate_multiplier=rate,
    )


def _entry(row: tuple[Any, ...]) -> LedgerEntry:
    return LedgerEntry(id=str(row[0]), transaction_type=row[1], amount=xct(row[2]),
                       balance_type=row[3], description=row[4], created_at=row[5].isoformat(),
                       created_by=row[6])


async def get_transaction(
    conn: AsyncConnection, org_id: UUID, transaction_id: UUID
) -> LedgerEntry | None:
    cur = await conn.execute(f"{_ENTRY} WHERE org_id = %s AND id = %s", (org_id, transaction_id))
    row = await cur.fetchone()
    return _entry(row) if row else None


async def list_transactions(
    conn: AsyncConnection, org_id: UUID, page: int, page_size: int
) -> tuple[list[LedgerEntry], int]:
    """One page of the organization's ledger, newest first, and how many entries it has."""
    cur = await conn.execute(f"SELECT count(*) FROM {SCHEMA}.transactions WHERE org_id = %s",
                             (org_id,))
    row = await cur.fetchone()
    total = int(row[0]) if row else 0
    cur = await conn.execute(
        f"{_ENTRY} WHERE org_id = %s ORDER BY position DESC, part LIMIT %s OFFSET %s",
        (org_id, page_size, (page - 1) * page_size),
    )
    return [_entry(r) for r in await cur.fetchall()], total


_BY_TIER = (
    "SELECT tier, count(*), coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(xct), 0)"
    f" FROM {SCHEMA}.usage WHERE org_id = %s AND created_at > %s AND created_at <= %s"
    " GROUP BY tier"
)
_BY_PROVIDER = (
    f"SELECT provider, sum(xct) FROM {SCHEMA}.usage"
    " WHERE org_id = %s AND created_at > %s AND created_at <= %s GROUP BY provider ORDER BY 1"
)


async def usage_summary(
    conn: AsyncConnection, org_id: UUID, days: int, now: datetime | None = None
) -> UsageSummary:
    """XCT used in the last `days` days, by model tier (every known tier, used or not, in
    price order; then any other) and by provider."""
    end = now or datetime.now(UTC)
    start = end - timedelta(days=days)
    cur = await conn.execute(_BY_TIER, (org_id, start, end))
    used = {r[0]: r for r in await cur.fetchall()}
    tiers = [*MODEL_TIERS, *sorted(set(used) - set(MODEL_TIERS))]
    by_tier = [
        TierUsage(tier=t, request_count=int(used[t][1]), total_tokens=int(used[t][2]),
                  xct_used=xct(used[t][3])) if t in used
        else TierUsage(tier=t, request_count=0, total_tokens=0, xct_used=xct(ZERO))
        for t in tiers
    ]
    cur = await conn.execute(_BY_PROVIDER, (org_id, start, end))
    by_provider = {provider: xct(amount) for provider, amount in await cur.fetchall()}
    total = sum((Decimal(r[3]) for r in used.values()), ZERO)
    return UsageSummary(period_start=start.isoformat(), period_end=end.isoformat(),
                        total_xct_used=xct(total), by_tier=by_tier, by_provider=by_provider)


@dataclasses.dataclass(frozen=True, kw_only=True)
class UsageRecord:
    id: UUID
    provider: str
    model: str
    tier: str
    content_type: str
    input_tokens: int
    output_tokens: int
    xct: Decimal
    purpose: str
    reference_id: str | None
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class UsageTotals:
    input_tokens: int
    output_tokens: int
    xct: Decimal
    by_provider: dict[str, dict[str, Any]]
    by_content_type: dict[str, dict[str, Any]]


_USAGE_ROWS = (
    "SELECT transaction_id, provider, model, tier, content_type, input_tokens, output_tokens, xct,"
    f" purpose, reference_id, created_at FROM {SCHEMA}.usage WHERE org_id = %s"
)
MAX_USAGE_ROWS = 10_000


async def list_usage(
    conn: AsyncConnection, org_id: UUID, start: datetime | None = None, end: datetime | None = None,
    limit: int = MAX_USAGE_ROWS,
) -> list[UsageRecord]:
    """The organization's usage records from `start` to `end` (either open), newest first."""
    sql = _USAGE_ROWS
    params: list[Any] = [org_id]
    if start is not None:
        sql += " AND created_at >= %s"
        params.append(start)
    if end is not None:
        sql += " AND created_at <= %s"
        params.append(end)
    cur = await conn.execute(sql + " ORDER BY created_at DESC, transaction_id LIMIT %s",
                             (*params, limit))
    return [UsageRecord(id=r[0], provider=r[1], model=r[2], tier=r[3], content_type=r[4],
                        input_tokens=int(r[5]), output_tokens=int(r[6]), xct=r[7], purpose=r[8],
                        reference_id=r[9], created_at=r[10]) for r in await cur.fetchall()]


async def usage_totals(
    conn: AsyncConnection, org_id: UUID, days: int, now: datetime | None = None,
) -> UsageTotals:
    """Tokens and XCT used in the last `days` days, in total, by provider and by content type."""
    end = now or datetime.now(UTC)
    start = end - timedelta(days=days)
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    total = ZERO
    for column in ("provider", "content_type"):
        cur = await conn.execute(
            f"SELECT {column}, count(*), sum(input_tokens), sum(output_tokens), sum(xct)"
            f" FROM {SCHEMA}.usage WHERE org_id = %s AND created_at > %s AND created_at <= %s"
            f" GROUP BY {column} ORDER BY 1", (org_id, start, end))
        rows = await cur.fetchall()
        groups[column] = {
            (key or "unspecified"): {"requests": int(n), "input_tokens": int(i),
                                     "output_tokens": int(o), "cost": float(x)}
            for key, n, i, o, x in rows}
        if column == "provider":
            total = sum((Decimal(r[4]) for r in rows), ZERO)
    by_provider = groups["provider"]
    return UsageTotals(
        input_tokens=sum(g["input_tokens"] for g in by_provider.values()),
        output_tokens=sum(g["output_tokens"] for g in by_provider.values()),
        xct=total,
        by_provider=by_provider, by_content_type=groups["content_type"])

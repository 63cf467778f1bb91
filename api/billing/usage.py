"""`/api/v1/usage` and `/api/v1/usage/summary`: the organization's AI usage records (one per
charged call) and their totals by provider and content type.

`credits_used` and `cost_estimate` are both the XCT the call was charged (XCT is the unit
copydesk prices in; a call answered from the cache was not charged and has no record)."""

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import get
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.billing.accounts import iso_moment
from api.dependencies import AppServices
from domain.errors import InvalidCommandError
from projections.billing.queries import list_usage, usage_totals


class UsageRecordOut(msgspec.Struct):
    id: str
    ai_provider: str
    ai_model: str
    content_type: str
    input_tokens: int
    output_tokens: int
    credits_used: float
    cost_estimate: float
    created_at: str
    model_tier: str
    reference_id: str | None


class UsageSummaryOut(msgspec.Struct):
    total_input_tokens: int
    total_output_tokens: int
    total_cost: float
    by_provider: dict[str, dict[str, Any]]
    by_content_type: dict[str, dict[str, Any]]


@get("/api/v1/usage", operation_id="list_usage", tags=["usage"], summary="List usage records",
     dependencies=AUTHENTICATED)
async def read_usage(
    services: AppServices, principal: Caller,
    start_date: Annotated[str | None, Parameter(
        description="from this moment (ISO-8601)", schema_extra={"format": "date-time"})] = None,
    end_date: Annotated[str | None, Parameter(
        description="up to this moment (ISO-8601)", schema_extra={"format": "date-time"})] = None,
) -> list[UsageRecordOut]:
    """The organization's usage records (newest first, at most 10,000)."""
    start, end = _moment(start_date, "start_date"), _moment(end_date, "end_date")
    if start and end and start > end:
        raise InvalidCommandError("start_date must not be after end_date")
    async with services.pool.connection() as conn:
        records = await list_usage(conn, principal.org_id, start, end)
    return [UsageRecordOut(
        id=str(r.id), ai_provider=r.provider, ai_model=r.model, content_type=r.content_type,
        input_tokens=r.input_tokens, output_tokens=r.output_tokens, credits_used=float(r.xct),
        cost_estimate=float(r.xct), created_at=r.created_at.isoformat(), model_tier=r.tier,
        reference_id=r.reference_id) for r in records]


def _moment(value: str | None, name: str) -> datetime | None:
    """None, or the moment (UTC when it names no zone); 400 naming `name` if not ISO-8601."""
    if value is None:
        return None
    moment = iso_moment(value, name)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@get("/api/v1/usage/summary", operation_id="get_usage_summary", tags=["usage"],
     summary="Get usage summary", dependencies=AUTHENTICATED)
async def read_usage_summary(
    services: AppServices, principal: Caller,
    days: Annotated[int, Parameter(ge=1, le=365)] = 30,
) -> UsageSummaryOut:
    """Tokens and XCT of the last `days` days, by provider and by content type."""
    async with services.pool.connection() as conn:
        totals = await usage_totals(conn, principal.org_id, days)
    return UsageSummaryOut(
        total_input_tokens=totals.input_tokens, total_output_tokens=totals.output_tokens,
        total_cost=float(totals.xct), by_provider=totals.by_provider,
        by_content_type=totals.by_content_type)


ROUTES = [read_usage, read_usage_summary]

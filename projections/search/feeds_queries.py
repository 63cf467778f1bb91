"""Queries over the feeds of the SavedSearches read model (`rm_segments.feeds`), each scoped
by the organization: another organization's number finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.search.segments_projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class FeedRow:
    number: int
    name: str
    url: str
    format: str
    field_map: dict[str, str]
    product_count: int
    last_job_id: UUID | None
    last_status: str | None
    last_error: str | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime


_FEEDS = (f"SELECT number, name, url, format, field_map, product_count, last_job_id,"
          f" last_status, last_error, last_synced_at, created_at, updated_at FROM {SCHEMA}.feeds")


def _feed(row: Any) -> FeedRow:
    return FeedRow(number=row[0], name=row[1], url=row[2], format=row[3],
                   field_map=dict(row[4]), product_count=row[5], last_job_id=row[6],
                   last_status=row[7], last_error=row[8], last_synced_at=row[9],
                   created_at=row[10], updated_at=row[11])


async def list_feeds(conn: AsyncConnection[Any], org_id: UUID) -> list[FeedRow]:
    cur = await conn.execute(f"{_FEEDS} WHERE org_id = %s ORDER BY number", (org_id,))
    return [_feed(row) for row in await cur.fetchall()]


async def get_feed(conn: AsyncConnection[Any], org_id: UUID, number: int) -> FeedRow | None:
    cur = await conn.execute(f"{_FEEDS} WHERE org_id = %s AND number = %s", (org_id, number))
    row = await cur.fetchone()
    return None if row is None else _feed(row)

"""Queries over the landing pages of the PageDesigns read model (`rm_pages.landing_pages`,
with their views from `page_views`), each scoped by the organization."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.pages.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class LandingPageRow:
    number: int
    slug: str
    title: str
    query: int | None
    published: bool
    intro_copy: str
    product_skus: list[str]
    blocks: list[dict[str, Any]]
    view_count: int
    last_ai_crawl_at: datetime | None
    generated_at: datetime | None
    created_at: datetime
    updated_at: datetime


_SELECT = (
    "SELECT p.number, p.slug, p.title, p.query, p.published, p.intro_copy, p.product_skus,"
    " p.blocks, coalesce(v.view_count, 0), v.last_ai_crawl_at, p.generated_at, p.created_at,"
    f" p.updated_at FROM {SCHEMA}.landing_pages p LEFT JOIN page_views v"
    " ON v.org_id = p.org_id AND v.kind = 'landing' AND v.number = p.number"
)


def _row(row: Any) -> LandingPageRow:
    return LandingPageRow(
        number=row[0], slug=row[1], title=row[2], query=row[3], published=row[4],
        intro_copy=row[5], product_skus=list(row[6]), blocks=row[7], view_count=int(row[8]),
        last_ai_crawl_at=row[9], generated_at=row[10], created_at=row[11], updated_at=row[12])


async def list_landing_pages(conn: AsyncConnection[Any], org_id: UUID) -> list[LandingPageRow]:
    cur = await conn.execute(f"{_SELECT} WHERE p.org_id = %s ORDER BY p.number", (org_id,))
    return [_row(row) for row in await cur.fetchall()]


async def get_landing_page(conn: AsyncConnection[Any], org_id: UUID,
                           number: int) -> LandingPageRow | None:
    cur = await conn.execute(f"{_SELECT} WHERE p.org_id = %s AND p.number = %s",
                             (org_id, number))
    row = await cur.fetchone()
    return _row(row) if row else None


async def find_published_page(conn: AsyncConnection[Any], org_id: UUID,
                              slug: str) -> LandingPageRow | None:
    """The organization's published page with this slug (None for a draft)."""
    cur = await conn.execute(f"{_SELECT} WHERE p.org_id = %s AND p.slug = %s AND p.published",
                             (org_id, slug))
    row = await cur.fetchone()
    return _row(row) if row else None


async def page_number_for_query(conn: AsyncConnection[Any], org_id: UUID,
                                query: int) -> int | None:
    """The first page made for the saved query `query`; None when it has none."""
    cur = await conn.execute(
        f"SELECT min(number) FROM {SCHEMA}.landing_pages WHERE org_id = %s AND query = %s",
        (org_id, query))
    row = await cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])

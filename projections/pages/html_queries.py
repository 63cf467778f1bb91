"""Queries over the HTML pages of the PageDesigns read model, scoped by the organization —
but for the public lookup by slug (slugs are unique across organizations)."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.pages.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class HtmlPageRow:
    org_id: UUID
    number: int
    name: str
    slug: str
    description: str
    html_content: str
    storage_mode: str
    features: dict[str, bool]
    is_published: bool
    version: int
    views: int
    created_at: datetime
    updated_at: datetime
    preview_image: str | None = None
    """The preview image's file name (under `previews/`), when one was made."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class HtmlVersionRow:
    version: int
    size: int
    created_at: datetime


_SELECT = (
    "SELECT p.org_id, p.number, p.name, p.slug, p.description, p.html_content,"
    " p.storage_mode, p.features, p.is_published, p.version, coalesce(v.view_count, 0),"
    f" p.created_at, p.updated_at, p.preview_image FROM {SCHEMA}.html_pages p"
    " LEFT JOIN page_views v"
    " ON v.org_id = p.org_id AND v.kind = 'html' AND v.number = p.number"
)


def _row(row: Any) -> HtmlPageRow:
    return HtmlPageRow(org_id=row[0], number=row[1], name=row[2], slug=row[3],
                       description=row[4], html_content=row[5], storage_mode=row[6],
                       features=dict(row[7]), is_published=row[8], version=row[9],
                       views=int(row[10]), created_at=row[11], updated_at=row[12],
                       preview_image=row[13])


async def get_html_page(conn: AsyncConnection[Any], org_id: UUID,
                        number: int) -> HtmlPageRow | None:
    cur = await conn.execute(f"{_SELECT} WHERE p.org_id = %s AND p.number = %s",
                             (org_id, number))
    row = await cur.fetchone()
    return _row(row) if row else None


async def find_html_page(conn: AsyncConnection[Any], org_id: UUID | None,
                         slug: str) -> HtmlPageRow | None:
    """The page with this slug (only the organization's when `org_id` is given)."""
    cur = await conn.execute(
        f"{_SELECT} WHERE p.slug = %s AND (%s::uuid IS NULL OR p.org_id = %s)",
        (slug, org_id, org_id))
    row = await cur.fetchone()
    return _row(row) if row else None


async def list_html_versions(conn: AsyncConnection[Any], org_id: UUID,
                             number: int) -> list[HtmlVersionRow]:
    cur = await conn.execute(
        f"SELECT version, octet_length(html_content), created_at FROM {SCHEMA}.html_page_versions"
        " WHERE org_id = %s AND number = %s ORDER BY version", (org_id, number))
    return [HtmlVersionRow(version=r[0], size=int(r[1]), created_at=r[2])
            for r in await cur.fetchall()]


async def get_html_version(conn: AsyncConnection[Any], org_id: UUID, number: int,
                           version: int) -> str | None:
    cur = await conn.execute(
        f"SELECT html_content FROM {SCHEMA}.html_page_versions"
        " WHERE org_id = %s AND number = %s AND version = %s", (org_id, number, version))
    row = await cur.fetchone()
    return None if row is None else str(row[0])

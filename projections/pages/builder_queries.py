"""The history of a landing page's builder operations (`rm_pages.landing_page_edits`),
scoped by the organization."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.pages.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageEditRow:
    operation: str
    block_id: str
    block_type: str | None
    actor: str
    user_id: UUID | None
    at: datetime


async def page_history(conn: AsyncConnection[Any], org_id: UUID, number: int,
                       limit: int = 500) -> list[PageEditRow]:
    """The page's operations, oldest first (at most `limit`, the latest ones)."""
    cur = await conn.execute(
        "SELECT operation, block_id, block_type, actor, user_id, at FROM (SELECT *"
        f" FROM {SCHEMA}.landing_page_edits WHERE org_id = %s AND number = %s"
        " ORDER BY position DESC LIMIT %s) latest ORDER BY position",
        (org_id, number, limit))
    return [PageEditRow(operation=r[0], block_id=r[1], block_type=r[2], actor=r[3],
                        user_id=r[4], at=r[5]) for r in await cur.fetchall()]

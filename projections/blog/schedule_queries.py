"""The blog schedule, read from `rm_blog.blog_posts` for the scheduler worker: the posts of
every organization whose scheduled publish (or its next try, after a failure that WordPress
may get over) is due, and when the next one falls due."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

_DUE_AT = "coalesce((publish_error->>'retry_at')::timestamptz, scheduled_at)"
_DUE = (f"SELECT id, org_id, scheduled_at, {_DUE_AT}, schedule_connection_id"
        f" FROM rm_blog.blog_posts"
        f" WHERE status = 'scheduled' AND scheduled_at <= %s AND {_DUE_AT} <= %s"
        f" ORDER BY {_DUE_AT}, id LIMIT %s")
_NEXT = f"SELECT min({_DUE_AT}) FROM rm_blog.blog_posts WHERE status = 'scheduled'"


@dataclasses.dataclass(frozen=True, kw_only=True)
class DuePost:
    post_id: UUID
    org_id: UUID
    scheduled_at: datetime
    due_at: datetime
    connection_id: UUID | None


async def due_posts(conn: AsyncConnection[Any], now: datetime, limit: int) -> list[DuePost]:
    """Due at or before `now`, the longest due first."""
    cur = await conn.execute(_DUE, (now, now, limit))
    return [DuePost(post_id=r[0], org_id=r[1], scheduled_at=r[2], due_at=r[3],
                    connection_id=r[4])
            for r in await cur.fetchall()]


async def next_due_at(conn: AsyncConnection[Any]) -> datetime | None:
    cur = await conn.execute(_NEXT)
    row = await cur.fetchone()
    return row[0] if row else None

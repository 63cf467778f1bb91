"""Where a publish goes: the blog connection as the read model shows it, and its WordPress
site (address, username, the Application Password opened from its sealed copy)."""

import asyncio
from typing import Any
from uuid import UUID

import structlog
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from adapters.blog.wordpress import Site
from adapters.postgres import secrets
from adapters.secret_box import SecretBox
from commands.blog.connections import PASSWORD_PURPOSE
from projections.blog.queries import ConnectionRow, get_connection

log = structlog.get_logger("copydesk.blog")
Reach = tuple[ConnectionRow | None, Site | None]
"""A connection's row (None: there is none such) and, when it is active, its site."""


async def open_site(conn: AsyncConnection[Any], secret_key: str, org_id: UUID,
                    connection_id: UUID, url: str, username: str) -> Site:
    sealed = await secrets.sealed(conn, connection_id, PASSWORD_PURPOSE, org_id)
    password = ""
    if sealed is not None:
        try:
            password = SecretBox(secret_key).open(sealed)
        except ValueError:
            log.warning("blog_password_unreadable", connection_id=str(connection_id))
    return Site(url=url, username=username, password=password)


async def read_reach(pool: AsyncConnectionPool[Any], secret_key: str, org_id: UUID,
                     connection_id: UUID) -> Reach:
    async with pool.connection() as conn:
        row = await get_connection(conn, org_id, connection_id)
        if row is None or not row.is_active:
            return row, None
        return row, await open_site(conn, secret_key, org_id, row.id, row.site_url,
                                    row.username)


class SiteMemo:
    """Connections and their sites read once each, for the posts that one scheduler pass
    starts together (mostly through one connection): a change to a connection is seen by
    the next pass, as it would be by the next publish."""

    def __init__(self, pool: AsyncConnectionPool[Any], secret_key: str) -> None:
        self.pool = pool
        self.secret_key = secret_key
        self._reads: dict[tuple[UUID, UUID], asyncio.Task[Reach]] = {}

    async def reach(self, org_id: UUID, connection_id: UUID) -> Reach:
        key = (org_id, connection_id)
        read = self._reads.get(key)
        if read is None or (read.done() and (read.cancelled() or read.exception() is not None)):
            read = self._reads[key] = asyncio.create_task(self._read(org_id, connection_id))
        return await asyncio.shield(read)  # one caller cancelled does not cancel the others'

    async def _read(self, org_id: UUID, connection_id: UUID) -> Reach:
        return await read_reach(self.pool, self.secret_key, org_id, connection_id)

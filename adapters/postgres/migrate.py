"""Brings a database up to date: support tables and the events table, then what the caller adds.

Runs under an advisory lock, so several processes starting at once take turns. A read model
whose migration changed since it was built is rebuilt from the event store.
"""

from collections.abc import Awaitable, Callable
from importlib import resources

import psycopg
import structlog

from adapters.postgres.event_store import PostgresEventStore

log = structlog.get_logger("copydesk.migrate")
LOCK_KEY = 7_311_001


def support_migrations() -> list[tuple[str, str]]:
    files = sorted(
        (f for f in resources.files("migrations").iterdir() if f.name.endswith(".sql")),
        key=lambda f: f.name,
    )
    return [(f.name, f.read_text()) for f in files]


async def migrate_store(
    database_url: str, then: Callable[[psycopg.AsyncConnection], Awaitable[None]]
) -> None:
    """Support tables and the events table; then `then` (the read models), under the same lock."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for name, body in support_migrations():
                cur = await conn.execute("SELECT 1 FROM schema_migrations WHERE name = %s",
                                         (name,))
                if await cur.fetchone():
                    continue
                async with conn.transaction():
                    await conn.execute(body.encode())
                    await conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
                log.info("migration_applied", migration=name)
            store = PostgresEventStore(database_url, pool_size=1, max_overflow=0)
            try:
                store.create_table()
            finally:
                store.close()
            await then(conn)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))

"""Brings a database up to date: the store's tables, then each read model's schema.

A read model whose migration changed since it was built is rebuilt from the event store.
"""

import psycopg
import structlog

from adapters.postgres.migrate import migrate_store
from projections.base import Projection
from projections.runner import create_schema, rebuild

log = structlog.get_logger("copydesk.migrate")


async def migrate(database_url: str, projections: list[Projection]) -> None:
    async def read_models(conn: psycopg.AsyncConnection) -> None:
        for projection in projections:
            await _migrate_projection(conn, projection)

    await migrate_store(database_url, read_models)


async def _migrate_projection(conn: psycopg.AsyncConnection, projection: Projection) -> None:
    cur = await conn.execute("SELECT ddl_hash FROM projection_tracking WHERE name = %s",
                             (projection.name,))
    row = await cur.fetchone()
    if row is None:
        await create_schema(conn, projection, projection.schema)
        await conn.execute(
            "INSERT INTO projection_tracking (name, position, ddl_hash) VALUES (%s, 0, %s)",
            (projection.name, projection.ddl_hash()),
        )
        log.info("projection_created", projection=projection.name)
    elif row[0] != projection.ddl_hash():
        log.info("projection_schema_changed", projection=projection.name)
        await rebuild(conn, projection)

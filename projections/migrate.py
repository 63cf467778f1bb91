"""Brings a database up to date: the store's tables, then each read model's schema.

A read model whose migration changed since it was built is rebuilt from the event store.
"""

import psycopg
import structlog

from adapters.postgres.migrate import migrate_store
from projections.base import Projection
from projections.runner import create_schema, rebuild, start_tracking, tracked_ddl_hash

log = structlog.get_logger("copydesk.migrate")


async def migrate(database_url: str, projections: list[Projection]) -> None:
    async def read_models(conn: psycopg.AsyncConnection) -> None:
        for projection in projections:
            await _migrate_projection(conn, projection)

    await migrate_store(database_url, read_models)


async def _migrate_projection(conn: psycopg.AsyncConnection, projection: Projection) -> None:
    built_with = await tracked_ddl_hash(conn, projection.name)
    if built_with is None:
        await create_schema(conn, projection, projection.schema)
        await start_tracking(conn, projection)
        log.info("projection_created", projection=projection.name)
    elif built_with != projection.ddl_hash():
        log.info("projection_schema_changed", projection=projection.name)
        await rebuild(conn, projection)

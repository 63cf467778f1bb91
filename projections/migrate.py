"""Brings a database up to date: the store's tables, then each read model's schema.

A read model whose migration changed since it was built is rebuilt from the event store.
"""

import psycopg
import structlog

from adapters.postgres.migrate import migrate_store
from projections.base import Projection
from projections.rebuilds import rebuild_together
from projections.runner import create_schema, start_tracking, tracked_ddl_hash

log = structlog.get_logger("copydesk.migrate")


async def migrate(database_url: str, projections: list[Projection]) -> None:
    async def read_models(conn: psycopg.AsyncConnection) -> None:
        changed = [p for p in projections if not await _created_or_current(conn, p)]
        if changed:  # one pass over the log for all of them
            await rebuild_together(conn, changed)

    await migrate_store(database_url, read_models)


async def _created_or_current(conn: psycopg.AsyncConnection, projection: Projection) -> bool:
    """Create a projection never built; False when it was built from another migration."""
    built_with = await tracked_ddl_hash(conn, projection.name)
    if built_with is None:
        await create_schema(conn, projection, projection.schema)
        await start_tracking(conn, projection)
        log.info("projection_created", projection=projection.name)
        return True
    if built_with != projection.ddl_hash():
        log.info("projection_schema_changed", projection=projection.name)
        return False
    return True

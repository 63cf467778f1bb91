"""The services one API process uses, made once at start-up from the settings."""

import dataclasses

from psycopg_pool import AsyncConnectionPool

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from api.consistency import ProjectionPositions
from api.principal_cache import PrincipalCache
from commands.bus import CommandBus


@dataclasses.dataclass
class Services:
    settings: Settings
    store: PostgresEventStore
    bus: CommandBus
    pool: AsyncConnectionPool
    positions: ProjectionPositions
    principals: PrincipalCache

    @classmethod
    async def start(cls, settings: Settings) -> "Services":
        store = PostgresEventStore(settings.database_url, pool_size=8, max_overflow=32)
        pool = AsyncConnectionPool(
            settings.database_url, min_size=2, max_size=settings.db_pool_size,
            kwargs={"autocommit": True}, open=False,
        )
        await pool.open(wait=True)
        positions = ProjectionPositions(settings.database_url)
        await positions.start()
        return cls(settings, store, CommandBus(store), pool, positions, PrincipalCache())

    async def stop(self) -> None:
        await self.positions.stop()
        await self.pool.close()
        self.store.close()

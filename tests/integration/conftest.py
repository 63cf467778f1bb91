"""Fixtures of the integration tests: a command bus over the real event store of the test's
own database, and an autocommit connection to that database."""

from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.bus import CommandBus


@pytest.fixture
def bus(database: Settings) -> Iterator[CommandBus]:
    store = PostgresEventStore(database.database_url)
    try:
        yield CommandBus(store)
    finally:
        store.close()


@pytest.fixture
async def conn(database: Settings) -> AsyncIterator[psycopg.AsyncConnection]:
    async with await psycopg.AsyncConnection.connect(database.database_url,
                                                     autocommit=True) as connection:
        yield connection

"""The parked-events table and its count per projection."""

import asyncio
from uuid import uuid4

import psycopg

from adapters.settings import Settings
from projections.parked import parked_count


def test_parked_count_counts_unresolved_events_per_projection(database: Settings) -> None:
    with psycopg.connect(database.database_url, autocommit=True) as conn:
        for position, resolved in [(1, False), (2, False), (3, True)]:
            conn.execute(
                "INSERT INTO parked_events (projection, position, topic, originator_id,"
                " originator_version, error, resolved) VALUES ('catalog', %s, 't', %s, 1,"
                " 'boom', %s)", (position, uuid4(), resolved))

    async def count() -> dict[str, int]:
        async with await psycopg.AsyncConnection.connect(database.database_url) as conn:
            return await parked_count(conn)

    assert asyncio.run(count()) == {"catalog": 2}

"""An event a projection cannot store is parked, never stalls the read models: the events
around it are applied once, every other projection and tenant goes on, a rebuild passes over it
the same way, and a rebuild after a fix applies it and resolves it."""

import asyncio
from collections.abc import Sequence
from uuid import UUID, uuid4

import psycopg

from adapters.postgres.event_log import max_position, read_log
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.catalog.projects import CreateProject, create_project
from domain.log import RecordedEvent
from projections.base import Projection
from projections.catalog.projection import CatalogBoard
from projections.parked import list_parked, parked_count
from projections.rebuilds import rebuild
from projections.registry import all_projections
from projections.runner import apply_batch
from projections.verify import differences
from projections.writes import Writes
from tests.integration.events import META, onboard, store_for
from workers.admin import parked_events


def _project(bus: CommandBus, org_id: UUID, name: str, **settings: object) -> UUID:
    project_id = uuid4()
    bus.execute(create_project, CreateProject(org_id=org_id, project_id=project_id, name=name,
                                              platform="shopify", settings=dict(settings)), META)
    return project_id


async def _catch_up(conn: psycopg.AsyncConnection, projections: Sequence[Projection]) -> None:
    for projection in projections:
        records = await read_log(conn, after=0, limit=100_000, handles=projection.handles)
        assert await apply_batch(conn, projection, records) == records[-1].position


async def _project_names(conn: psycopg.AsyncConnection) -> set[str]:
    cur = await conn.execute("SELECT name FROM rm_catalog.projects")
    return {name for (name,) in await cur.fetchall()}


def test_an_event_no_read_model_can_store_is_parked_and_the_rest_goes_on(database: Settings) -> None:
    store, bus = store_for(database.database_url)
    try:
        shop, other = onboard(bus, "Shop"), onboard(bus, "Other")
        _project(bus, shop, "Before")
        _project(bus, shop, "Poison", note="a\x00b")  # PostgreSQL refuses NUL in jsonb
        _project(bus, other, "Neighbour")
    finally:
        store.close()

    async def check() -> None:
        async with await psycopg.AsyncConnection.connect(database.database_url,
                                                         autocommit=True) as conn:
            await _catch_up(conn, all_projections())
            head = await max_position(conn)
            cur = await conn.execute("SELECT name, position FROM projection_tracking")
            assert {name: int(p) for name, p in await cur.fetchall()} == {
                p.name: head for p in all_projections()}
            assert await _project_names(conn) == {"Before", "Neighbour"}
            parked = await list_parked(conn)
            assert {row[0] for row in parked} <= {"catalog", "audit"} and parked
            assert all(row[2] == "catalog.ProjectCreated" and row[3] == 3 for row in parked)
            assert "catalog" in await parked_count(conn)
            for projection in all_projections():  # a rebuild passes over it the same way
                assert await differences(conn, projection) == [], projection.name
            assert [row[:3] for row in await list_parked(conn)] == [row[:3] for row in parked]

    asyncio.run(check())
    listed = asyncio.run(parked_events(database))  # `copydesk projections parked`
    assert any(line.startswith("catalog") and "catalog.ProjectCreated" in line for line in listed)


class FlakyCatalog(CatalogBoard):
    """The catalog, failing on one project's name until the cause is fixed."""

    broken = True

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        if self.broken and getattr(record.event, "name", "") == "Flaky":
            raise ValueError("cannot apply this event yet")
        super().apply(writes, record)


def test_a_rebuild_after_the_fix_applies_the_parked_event_and_resolves_it(
        database: Settings) -> None:
    store, bus = store_for(database.database_url)
    try:
        shop = onboard(bus, "Shop")
        for name in ("One", "Flaky", "Three"):
            _project(bus, shop, name)
    finally:
        store.close()
    catalog = FlakyCatalog()

    async def check() -> None:
        async with await psycopg.AsyncConnection.connect(database.database_url,
                                                         autocommit=True) as conn:
            await _catch_up(conn, [catalog])
            assert await _project_names(conn) == {"One", "Three"}
            assert await parked_count(conn) == {"catalog": 1}
            await rebuild(conn, catalog)  # not fixed yet: parked again, still unresolved
            assert await parked_count(conn) == {"catalog": 1}
            catalog.broken = False
            await rebuild(conn, catalog)
            assert await _project_names(conn) == {"One", "Flaky", "Three"}
            assert await parked_count(conn) == {}

    asyncio.run(check())

"""Events flow from the store through JetStream into the read models (not only by catch-up)."""

import asyncio

import nats
import psycopg
import pytest

from adapters.postgres.event_log import max_position, read_log
from adapters.settings import Settings
from projections.audit.projection import AuditLog
from projections.runner import GAP_FILL_LIMIT, apply_batch
from tests.integration.events import onboard, store_for, top_ups
from tests.support import (
    Processes,
    assert_read_models_equal_rebuild,
    scalar,
    store_position,
    wait_for_projections,
    wait_until,
)


async def consumers_behind(settings: Settings, durables: list[str]) -> list[str]:
    """The durable consumers that have not yet been delivered the stream's last message."""
    nc = await nats.connect(settings.nats_url)
    try:
        js = nc.jetstream()
        last = (await js.stream_info(settings.events_stream)).state.last_seq
        behind = []
        for durable in durables:
            try:
                info = await js.consumer_info(settings.events_stream, durable)
            except nats.js.errors.NotFoundError:
                behind.append(durable)
                continue
            if last == 0 or info.delivered.stream_seq < last:
                behind.append(durable)
        return behind
    finally:
        await nc.close()


def test_projectors_read_new_events_from_their_durable_consumers(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    orgs = [onboard(bus) for _ in range(3)]
    top_ups(bus, orgs, 200, threads=4)
    wait_for_projections(database)
    durables = [f"proj_{name}" for name in ("identity", "billing", "audit")]
    wait_until(lambda: not asyncio.run(consumers_behind(database, durables)), 30,
               "every projection's consumer to be delivered the whole stream")
    store.close()
    assert_read_models_equal_rebuild(database)


@pytest.mark.parametrize("name", ["identity", "billing", "audit"])
def test_every_projection_can_be_rebuilt_while_events_keep_coming(
    database: Settings, processes: Processes, name: str
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(3)]
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    top_ups(bus, orgs, 300, threads=4)
    rebuild = processes.start("rebuild", "projections", "rebuild", name)
    top_ups(bus, orgs, 300, threads=4)
    assert rebuild.wait(60) == 0
    wait_for_projections(database)
    store.close()
    assert_read_models_equal_rebuild(database)


def test_a_projection_far_behind_fills_its_gap_from_the_store_in_bounded_steps(
    database: Settings,
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(32)]
    top_ups(bus, orgs, GAP_FILL_LIMIT + 500, threads=32)
    store.close()

    async def deliver_only_the_newest_event() -> list[int]:
        async with await psycopg.AsyncConnection.connect(database.database_url,
                                                         autocommit=True) as conn:
            newest = (await read_log(conn, after=await max_position(conn) - 1, limit=1))[0]
            reached = []
            for _ in range(3):
                reached.append(await apply_batch(conn, AuditLog(), [newest]))
            return reached

    first, second, third = asyncio.run(deliver_only_the_newest_event())
    assert first < second == third == store_position(database)
    assert scalar(database, "SELECT count(*) FROM rm_audit.audit_log") == scalar(
        database, "SELECT count(*) FROM events")

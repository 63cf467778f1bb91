"""Breaking the running parts on purpose. Each test ends with every read model equal to a
rebuild from scratch of the event store."""

import asyncio
import threading
import time
from decimal import Decimal
from uuid import uuid4

import nats
import psycopg
import pytest

from adapters.nats import messages
from adapters.nats.stream import all_subjects, subject_for
from adapters.postgres.codec import encode_event
from adapters.settings import Settings
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus
from domain.billing.account import billing_account_id
from domain.billing.events import ToppedUp
from domain.errors import ConcurrencyError
from tests.integration.events import META, onboard, store_for, top_ups
from tests.support import (
    Processes,
    assert_read_models_equal_rebuild,
    scalar,
    store_position,
    wait_for_projections,
    wait_until,
)

pytestmark = pytest.mark.fault
AUDITED = "SELECT count(*) FROM rm_audit.audit_log"
STORED = "SELECT count(*) FROM events"


def relay_position(settings: Settings) -> int:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT position FROM relay_state").fetchone()
        return int(row[0]) if row else 0


def wait_for_relay(settings: Settings, what: str, seconds: float = 30) -> None:
    wait_until(lambda: relay_position(settings) == store_position(settings), seconds, what)


def stored_positions(settings: Settings) -> list[int]:
    with psycopg.connect(settings.database_url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT notification_id FROM events ORDER BY notification_id").fetchall()]


async def stream_positions(settings: Settings) -> list[int]:
    """The position of every event in the stream's messages, in stream order."""
    nc = await nats.connect(settings.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(all_subjects(settings.events_subject),
                                 stream=settings.events_stream, ordered_consumer=True)
        info = await js.stream_info(settings.events_stream)
        out: list[int] = []
        for _ in range(info.state.messages):
            msg = await sub.next_msg(timeout=5)
            out.extend(event.position for event in messages.decode(msg.headers or {}, msg.data))
        return out
    finally:
        await nc.close()


def test_a_relay_killed_mid_stream_resumes_without_losing_or_repeating_events(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(10)]
    processes.start("relay", "relay")
    writer = threading.Thread(target=top_ups, args=(bus, orgs, 3000))
    writer.start()
    wait_until(lambda: relay_position(database) > 200, 30, "the relay to publish")
    processes.kill("relay")
    writer.join()
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    wait_for_projections(database, 60)
    wait_for_relay(database, "the relay to publish everything", 60)
    assert asyncio.run(stream_positions(database)) == stored_positions(database)
    store.close()
    assert_read_models_equal_rebuild(database)


def test_a_projector_killed_mid_batch_applies_each_event_once_after_restart(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(10)]
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    writer = threading.Thread(target=top_ups, args=(bus, orgs, 3000))
    writer.start()
    wait_until(lambda: scalar(database, "SELECT min(position) FROM projection_tracking") > 300,
               30, "the projector to apply events")
    processes.kill("projector")
    writer.join()
    processes.start("projector", "projector")
    wait_for_projections(database, 60)
    assert scalar(database, AUDITED) == scalar(database, STORED)
    store.close()
    assert_read_models_equal_rebuild(database)


def test_messages_delivered_twice_and_after_the_dedupe_window_change_nothing(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(3)]
    top_ups(bus, orgs, 300)
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    wait_for_projections(database)

    async def resend_everything_reversed() -> None:
        # as a relay would after its dedupe window: new message ids, old positions, any order
        nc = await nats.connect(database.nats_url)
        js = nc.jetstream()
        with psycopg.connect(database.database_url) as conn:
            rows = conn.execute(
                "SELECT notification_id, originator_id, originator_version, topic, state"
                " FROM events ORDER BY notification_id DESC").fetchall()
        for position, aggregate_id, version, topic, state in rows:
            for copy_number in range(2):
                await js.publish(subject_for(topic, database.events_subject), bytes(state), headers={
                    "Nats-Msg-Id": f"{position}-late-{copy_number}",
                    "Cd-Aggregate-Id": str(aggregate_id),
                    "Cd-Aggregate-Version": str(version), "Cd-Topic": topic})
        await nc.close()

    before = store_position(database)
    asyncio.run(resend_everything_reversed())
    top_ups(bus, orgs, 30)  # and new events after the noise
    wait_for_projections(database)
    topups = scalar(database, "SELECT count(*) FROM rm_billing.transactions"
                              " WHERE transaction_type = 'topup'")
    assert topups == 330
    assert scalar(database, AUDITED) == scalar(database, STORED)
    assert store_position(database) > before
    store.close()
    assert_read_models_equal_rebuild(database)


def test_projections_catch_up_from_postgres_when_the_stream_is_deleted(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(3)]
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    top_ups(bus, orgs, 100)
    wait_for_projections(database)
    wait_for_relay(database, "the relay to publish everything", 30)

    async def delete_stream() -> None:
        nc = await nats.connect(database.nats_url)
        await nc.jetstream().delete_stream(database.events_stream)
        await nc.close()

    asyncio.run(delete_stream())
    top_ups(bus, orgs, 200)
    wait_for_projections(database, 60)
    wait_for_relay(database, "the relay to publish into a new stream", 30)
    processes.kill("relay")  # and with no relay at all, the store still reaches them
    top_ups(bus, orgs, 50)
    wait_for_projections(database, 60)
    store.close()
    assert_read_models_equal_rebuild(database)


def test_an_append_held_open_is_not_skipped_by_later_appends(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    org = onboard(bus)
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    wait_for_projections(database)
    held_id = uuid4()
    held = psycopg.connect(database.database_url)
    # the store's own protocol: table lock, insert, and then the transaction stays open
    held.execute("LOCK TABLE events IN EXCLUSIVE MODE")
    version = len(store.load(billing_account_id(org))) + 1
    held.execute(
        "INSERT INTO events (originator_id, originator_version, topic, state)"
        " VALUES (%s, %s, %s, %s)",
        (billing_account_id(org), version, ToppedUp.topic(), encode_event(ToppedUp(
            org_id=org, transaction_id=held_id, amount=Decimal("7.00"), description="held",
            request_key=None), META)))
    finished: list[float] = []

    def later_appends() -> None:
        for _ in range(5):
            onboard(bus)
        finished.append(time.monotonic())

    later = threading.Thread(target=later_appends)
    later.start()
    time.sleep(1.0)
    assert not finished, "a later append committed while the held one was open"
    held.commit()
    held.close()
    later.join()
    wait_for_projections(database)
    with psycopg.connect(database.database_url) as conn:
        row = conn.execute("SELECT amount FROM rm_billing.transactions WHERE id = %s",
                           (held_id,)).fetchone()
    assert row is not None and row[0] == Decimal("7.00")
    store.close()
    assert_read_models_equal_rebuild(database)


def test_racing_writers_on_one_aggregate_one_wins_the_rest_retry_or_conflict(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    other_store, other_bus = store_for(database.database_url)
    org = onboard(bus)
    processes.start("relay", "relay")
    processes.start("projector", "projector")
    results: list[str] = []

    def race(writer: CommandBus, retryable: bool) -> None:
        try:
            writer.execute(top_up, TopUp(org_id=org, amount=Decimal("1.00")), META,
                        retryable=retryable)
            results.append("ok")
        except ConcurrencyError:
            results.append("conflict")

    for retryable in (True, False):
        results.clear()
        # two stores, as two processes would have, so the race is decided by PostgreSQL
        threads = [threading.Thread(target=race, args=((bus, other_bus)[i % 2], retryable))
                   for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count("ok") >= 1
        if retryable:
            assert results.count("ok") == 16
    wait_for_projections(database)
    topup = scalar(database, "SELECT topup_balance FROM rm_billing.balances WHERE org_id = %s", org)
    assert topup == Decimal(16 + results.count("ok"))
    store.close()
    other_store.close()
    assert_read_models_equal_rebuild(database)


def test_one_relay_is_active_and_a_standby_takes_over_when_it_dies(
    database: Settings, processes: Processes
) -> None:
    store, bus = store_for(database.database_url)
    orgs = [onboard(bus) for _ in range(3)]
    processes.start("relay", "relay")
    wait_for_relay(database, "relay one", 30)
    processes.start("standby", "relay")
    top_ups(bus, orgs, 500, threads=4)
    processes.kill("relay")
    top_ups(bus, orgs, 500, threads=4)
    wait_for_relay(database, "the standby to take over", 30)
    assert asyncio.run(stream_positions(database)) == stored_positions(database)
    processes.start("projector", "projector")
    wait_for_projections(database)
    store.close()
    assert_read_models_equal_rebuild(database)

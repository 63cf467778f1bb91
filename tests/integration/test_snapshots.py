"""Snapshots on PostgreSQL: a restarted process loads from the latest snapshot and reads only
the events after it; a snapshot of another state version, or one unreadable, is ignored."""

from decimal import Decimal
from uuid import UUID

import psycopg

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from tests.integration.events import META, onboard


def top_ups(bus: CommandBus, org: UUID, count: int, keys: str = "key") -> None:
    for n in range(count):
        bus.execute(top_up, TopUp(org_id=org, amount=Decimal("1.00"),
                                  request_key=f"{keys}-{n}"), META)


def test_a_restarted_store_loads_the_snapshot_and_only_the_events_after_it(
    database: Settings,
) -> None:
    store = PostgresEventStore(database.database_url)
    bus = CommandBus(store, snapshot_every=10)
    org = onboard(bus)
    account_id = billing_account_id(org)
    head = len(store.load(account_id))
    top_ups(bus, org, 23)
    store.close()

    restarted = PostgresEventStore(database.database_url)
    snapshot, later = restarted.load_latest(account_id, BillingAccount.state_version())
    assert snapshot is not None and snapshot.version == 20  # one every 10 events
    assert len(later) == head + 23 - 20  # the events table was read after the snapshot only
    loaded = UnitOfWork(restarted).get(BillingAccount, account_id)
    replayed = BillingAccount.rebuild(account_id, restarted.load(account_id))
    assert loaded.version == replayed.version == head + 23
    assert loaded.snapshot_state() == replayed.snapshot_state()
    assert loaded.topup_balance == Decimal("23.00") and "key-0" in loaded.topup_keys
    again = CommandBus(restarted).execute(
        top_up, TopUp(org_id=org, amount=Decimal("1.00"), request_key="key-0"), META)
    assert again.position == 0  # a key from before the snapshot is still charged once
    restarted.close()


def test_a_snapshot_of_another_state_version_or_unreadable_is_ignored_and_rewritten(
    database: Settings,
) -> None:
    store = PostgresEventStore(database.database_url)
    bus = CommandBus(store, snapshot_every=0)
    org = onboard(bus)
    account_id = billing_account_id(org)
    top_ups(bus, org, 4)
    head = len(store.load(account_id))
    store.close()
    current = BillingAccount.state_version()
    with psycopg.connect(database.database_url, autocommit=True) as conn:
        conn.execute("INSERT INTO snapshots (stream_id, state_version, version, state)"
                     " VALUES (%s, 'stale-code', %s, %s)", (account_id, head, b"\x80junk"))
        conn.execute("INSERT INTO snapshots (stream_id, state_version, version, state)"
                     " VALUES (%s, %s, 2, %s)", (account_id, current, b'{"$dataclass": ["os:system", {}]}'))

    restarted = PostgresEventStore(database.database_url)
    snapshot, events = restarted.load_latest(account_id, current)
    assert snapshot is None and len(events) == head  # replayed from the start
    account = UnitOfWork(restarted).get(BillingAccount, account_id)
    assert account.version == head and account.topup_balance == Decimal("4.00")
    top_ups(CommandBus(restarted, snapshot_every=3), org, 1, keys="later")
    restarted.close()

    fresh = PostgresEventStore(database.database_url)
    snapshot, events = fresh.load_latest(account_id, current)
    assert snapshot is not None and snapshot.version == head + 1 and events == []
    assert snapshot.state["topup_balance"] == Decimal("5.00")
    fresh.close()
    with psycopg.connect(database.database_url) as conn:
        kept = conn.execute("SELECT state_version FROM snapshots WHERE stream_id = %s",
                            (account_id,)).fetchall()
    assert kept == [(current,)]  # the other code's row went when this one was written

"""The PostgreSQL event store: group commit, stale writes, side writes, upcasting on load."""

import json
import threading
from decimal import Decimal
from uuid import uuid4

import psycopg
import pytest

from adapters.settings import Settings
from commands.billing.accounts import TopUp, top_up
from domain.billing.account import BillingAccount, billing_account_id
from domain.claims import KeyClaimed
from domain.log import IndexEntries, NewEvent, SideWrite, StaleWriteError
from tests.integration.events import META, onboard, store_for


def test_concurrent_appends_on_one_aggregate_all_land_with_their_own_positions(
    database: Settings,
) -> None:
    store, bus = store_for(database.database_url)
    org = onboard(bus)
    positions: list[int] = []
    lock = threading.Lock()

    def writer() -> None:
        for _ in range(50):
            out = bus.execute(top_up, TopUp(org_id=org, amount=Decimal("1.00")), META)
            with lock:
                positions.append(out.position)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(positions)) == 400
    account = BillingAccount.rebuild(billing_account_id(org), store.load(billing_account_id(org)))
    assert account.topup_balance == Decimal("400.00")
    store.close()


def test_a_stale_append_is_refused_and_writes_nothing_beside_it(database: Settings) -> None:
    store, _ = store_for(database.database_url)
    aggregate_id, subject = uuid4(), uuid4()
    claim = KeyClaimed(org_id=uuid4(), kind="test", owner_id=uuid4())
    store.append([NewEvent(aggregate_id=aggregate_id, aggregate_version=1, event=claim)], META)
    side = SideWrite("INSERT INTO credentials (subject_id, kind, secret_hash) VALUES (%s, 'x', 'h')",
                     (subject,))
    with pytest.raises(StaleWriteError):
        store.append([NewEvent(aggregate_id=aggregate_id, aggregate_version=1, event=claim)],
                     META, [side])
    with psycopg.connect(database.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM credentials WHERE subject_id = %s",
                            (subject,)).fetchone() == (0,)
    store.close()


def test_an_old_version_of_an_event_in_the_store_loads_upcast(database: Settings) -> None:
    store, bus = store_for(database.database_url)
    org = onboard(bus)
    account_id = billing_account_id(org)
    version = len(store.load(account_id)) + 1
    v1 = {"v": 1, "data": {"org_id": str(org), "occurred_at": "2025-01-02T03:04:05Z",
                           "transaction_id": str(uuid4()), "xct": 40, "description": "v1"},
          "meta": {"actor_type": "system"}}
    with psycopg.connect(database.database_url) as conn:
        conn.execute("INSERT INTO events (originator_id, originator_version, topic, state)"
                     " VALUES (%s, %s, 'billing.ToppedUp', %s)",
                     (account_id, version, json.dumps(v1).encode()))
    account = BillingAccount.rebuild(account_id, store.load(account_id))
    assert account.topup_balance == Decimal("40.00")
    store.close()


def test_a_store_sees_what_another_process_appended_after_it_read(database: Settings) -> None:
    store, bus = store_for(database.database_url)
    other_store, other_bus = store_for(database.database_url)
    org = onboard(bus)
    account_id = billing_account_id(org)
    before = len(store.load(account_id))
    other_bus.execute(top_up, TopUp(org_id=org, amount=Decimal("3.00")), META)
    after = store.load(account_id)
    assert len(after) == before + 1
    assert BillingAccount.rebuild(account_id, after).topup_balance == Decimal("3.00")
    bus.execute(top_up, TopUp(org_id=org, amount=Decimal("2.00")), META)  # not stale
    assert BillingAccount.rebuild(account_id, other_store.load(account_id)).topup_balance == 5
    store.close()
    other_store.close()


def test_a_very_large_append_completes(database: Settings) -> None:
    store, _ = store_for(database.database_url)
    org = uuid4()
    events = [NewEvent(aggregate_id=uuid4(), aggregate_version=1,
                       event=KeyClaimed(org_id=org, kind="bulk " + "x" * 200, owner_id=uuid4()))
              for _ in range(6000)]  # about 3 MB of parameters in one statement
    positions = store.append(events, META)
    assert len(positions) == 6000 and positions == sorted(positions)
    store.close()


def test_index_entries_land_with_their_events_and_a_repeated_key_writes_nothing(
    database: Settings,
) -> None:
    store, _ = store_for(database.database_url)
    keys = [uuid4() for _ in range(1500)]
    entries = IndexEntries("test-index", {key: {"n": n, "name": f"é{n}"} for n, key in enumerate(keys)})
    first = uuid4()
    claim = KeyClaimed(org_id=uuid4(), kind="test", owner_id=uuid4())
    store.append([NewEvent(aggregate_id=first, aggregate_version=1, event=claim)], META, [entries])
    assert store.look_up("test-index", keys[1499]) == {"n": 1499, "name": "é1499"}
    assert store.look_up("other-index", keys[0]) is None
    assert store.look_up("test-index", uuid4()) is None

    second = uuid4()
    again = IndexEntries("test-index", {uuid4(): {"n": -1}, keys[7]: {"n": -7}})
    with pytest.raises(StaleWriteError):
        store.append([NewEvent(aggregate_id=second, aggregate_version=1, event=claim)], META, [again])
    assert store.load(second) == []
    assert store.look_up("test-index", keys[7]) == {"n": 7, "name": "é7"}
    store.close()

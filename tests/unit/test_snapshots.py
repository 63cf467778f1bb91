"""Snapshots: an aggregate loaded from a snapshot plus the later events equals one replayed
from the start, for every aggregate type; a snapshot of another state version is ignored."""

import asyncio
import dataclasses
import importlib
import pkgutil
import sys
import types
import typing
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import domain
from adapters.memory_store import InMemoryEventStore
from adapters.postgres import snapshot_codec
from adapters.postgres.snapshots import RecentStreams, StoredSnapshot
from commands.billing.accounts import OpenBillingAccount, TopUp, open_billing_account, top_up
from commands.bus import CommandBus
from commands.unit_of_work import UnitOfWork
from domain.aggregate import Aggregate, _names, _state_code
from domain.billing.account import TOPUP_KEYS_KEPT, BillingAccount, billing_account_id
from domain.billing.events import BillingAccountOpened, ToppedUp
from domain.events import DomainEvent
from domain.jobs.events import JobCreated, JobStarted, JobUnitProgressed
from domain.jobs.job import Job
from domain.log import EventMeta, NewEvent, Snapshot
from workers.jobs.cache import JobCache

for module in pkgutil.walk_packages(domain.__path__, "domain."):
    importlib.import_module(module.name)

ORG = UUID(int=10)
ACCOUNT = billing_account_id(ORG)
META = EventMeta(actor_type="user")
IDS = [UUID(int=n) for n in range(1, 5)]
MOMENTS = [datetime(2025, 1, d, tzinfo=UTC) for d in (1, 2, 3)]


def aggregate_types() -> list[type[Aggregate]]:
    found: list[type[Aggregate]] = []
    todo = list(Aggregate.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__qualname__)


def events_evolved_by(cls: type[Aggregate]) -> list[type[DomainEvent]]:
    """The event classes `evolve` (and what it calls) names."""
    scope = vars(sys.modules[cls.__module__])
    names = {n for code in _state_code(cls) for n in _names(code)}
    return sorted({scope[n] for n in names if isinstance(scope.get(n), type)
                   and issubclass(scope[n], DomainEvent)}, key=lambda c: c.__name__)


def words_of(cls: type[Aggregate]) -> list[str]:
    """The string constants of the state code (the literals `evolve` matches on), and a few."""
    words = {"a", "b"}
    for code in _state_code(cls):
        words |= {c for c in code.co_consts if isinstance(c, str) and len(c) < 40}
    return sorted(words)


def values(hint: Any, words: list[str]) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([values(a, words) for a in args])
    if hint is type(None):
        return st.none()
    if origin is dict:
        return st.dictionaries(values(args[0], words), values(args[1], words), max_size=3)
    if origin is tuple:
        return st.lists(values(args[0], words), max_size=3).map(tuple)
    if dataclasses.is_dataclass(hint):
        return builds(typing.cast(type, hint), words)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        UUID: st.sampled_from(IDS), datetime: st.sampled_from(MOMENTS),
        str: st.sampled_from(words), int: st.integers(0, 1000), bool: st.booleans(),
        float: st.floats(0, 1000), Decimal: st.decimals(-1000, 1000, places=2),
    }
    return simple.get(hint, st.one_of(st.sampled_from(words), st.integers(0, 9), st.none()))


def builds(cls: type, words: list[str]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: values(hints[f.name], words)
                             for f in dataclasses.fields(cls) if f.init})


def history(cls: type[Aggregate], events: list[DomainEvent]) -> list[DomainEvent]:
    """The events `evolve` accepts, in order (a random one may make no sense after others)."""
    kept: list[DomainEvent] = []
    for event in events:
        try:
            cls.rebuild(UUID(int=0), [*kept, event])
        except Exception:
            continue
        kept.append(event)
    return kept


@pytest.mark.parametrize("cls", aggregate_types(), ids=lambda c: c.__qualname__)
def test_an_aggregate_from_a_snapshot_and_the_later_events_equals_a_full_replay(
    cls: type[Aggregate],
) -> None:
    kinds = events_evolved_by(cls)
    assert kinds, f"{cls.__qualname__}.evolve names no event"
    words = words_of(cls)
    event = st.one_of([builds(k, words) for k in kinds])

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(event, max_size=25), st.data())
    def check(drawn: list[DomainEvent], data: st.DataObject) -> None:
        events = history(cls, drawn)
        cut = data.draw(st.integers(0, len(events)))
        full = cls.rebuild(IDS[0], events)
        state = snapshot_codec.loads(snapshot_codec.dumps(
            cls.rebuild(IDS[0], events[:cut]).snapshot_state()))
        loaded = cls.from_snapshot(IDS[0], cut, state)
        for later in events[cut:]:
            loaded.evolve(later)
            loaded.version += 1
        assert loaded.version == full.version == len(events)
        assert loaded.snapshot_state() == full.snapshot_state()

    check()


def test_the_state_version_follows_the_code_that_shapes_the_state() -> None:
    class Counter(Aggregate):
        def __init__(self, aggregate_id: UUID) -> None:
            super().__init__(aggregate_id)
            self.count = 0

        def evolve(self, event: DomainEvent) -> None:
            self.count += 1

        def command(self) -> None:
            pass

    class Doubled(Counter):
        def evolve(self, event: DomainEvent) -> None:
            self.count += 2

    class Commented(Counter):
        def command(self) -> None:
            raise ValueError  # a command changes nothing of the state

    class Bumped(Counter):
        snapshot_version = 2

    versions = [c.state_version() for c in (Counter, Doubled, Bumped)]
    assert len(set(versions)) == 3
    assert Commented.state_version() != Doubled.state_version()
    assert BillingAccount.state_version() == BillingAccount.state_version()


def bus_with_account(every: int) -> tuple[CommandBus, InMemoryEventStore]:
    store = InMemoryEventStore()
    bus = CommandBus(store, snapshot_every=every)
    bus.execute(open_billing_account, OpenBillingAccount(org_id=ORG, tier="free"), META)
    return bus, store


def test_a_command_snapshots_an_aggregate_every_n_events_and_the_next_loads_from_it() -> None:
    bus, store = bus_with_account(every=5)  # 2 events
    for n in range(10):
        bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("1"), request_key=f"k{n}"), META)
    snapshot = store.snapshots[ACCOUNT]
    assert snapshot.version == 10 and snapshot.state_version == BillingAccount.state_version()
    loaded = UnitOfWork(store).get(BillingAccount, ACCOUNT)
    replayed = BillingAccount.rebuild(ACCOUNT, store.load(ACCOUNT))
    assert loaded.version == replayed.version == 12
    assert loaded.snapshot_state() == replayed.snapshot_state()
    repeated = bus.execute(top_up, TopUp(org_id=ORG, amount=Decimal("1"), request_key="k0"), META)
    assert repeated.position == 0  # a key seen before the snapshot is still known after it


def test_a_snapshot_of_another_state_version_is_ignored() -> None:
    _, store = bus_with_account(every=0)
    store.save_snapshot(Snapshot(aggregate_id=ACCOUNT, version=2, state_version="old-code",
                                 state={"opened": False, "topup_balance": Decimal("999")}))
    account = UnitOfWork(store).get(BillingAccount, ACCOUNT)
    assert account.opened and account.topup_balance == Decimal("0") and account.version == 2


def test_a_top_up_key_is_known_for_the_last_thousand_keyed_top_ups_only() -> None:
    """The rule: a retried request key is recognized while it is among the account's last
    1,000 keyed top-ups; older keys are forgotten, so the account's state stays bounded."""
    events: list[DomainEvent] = [BillingAccountOpened(org_id=ORG, tier="free")]
    events += [ToppedUp(org_id=ORG, transaction_id=UUID(int=n + 1), amount=Decimal("1"),
                        description="", request_key=f"key-{n}")
               for n in range(TOPUP_KEYS_KEPT + 1)]
    account = BillingAccount.rebuild(ACCOUNT, events)
    assert len(account.topup_keys) == TOPUP_KEYS_KEPT
    assert account.top_up(ORG, UUID(int=5000), Decimal("1"), "", "key-1") == UUID(int=2)
    assert account.top_up(ORG, UUID(int=5001), Decimal("1"), "", "key-0") == UUID(int=5001)
    assert [e.request_key for e in account.collect() if isinstance(e, ToppedUp)] == ["key-0"]


def test_the_recent_streams_keep_a_snapshot_and_only_the_events_after_it() -> None:
    recent = RecentStreams()
    events: list[DomainEvent] = [ToppedUp(org_id=ORG, transaction_id=UUID(int=n),
                                          amount=Decimal("1"), description="")
                                 for n in range(1, 11)]
    recent.put(ACCOUNT, None, events)
    assert recent.size == 10
    snapshot = Snapshot(aggregate_id=ACCOUNT, version=8, state_version="v1", state={})
    recent.taken(StoredSnapshot.of(snapshot))
    entry = recent.get(ACCOUNT, "v1")
    assert entry is not None and entry.base == 8 and entry.tail == events[8:]
    assert recent.size == 2
    assert recent.get(ACCOUNT, "v2") is None  # another state version: not this snapshot


def test_a_worker_reads_a_job_from_its_snapshot_and_the_events_after_it() -> None:
    store, job_id = InMemoryEventStore(), UUID(int=77)
    progress = [JobUnitProgressed(org_id=ORG, unit_id=f"u{n}", done=n, expected=None)
                for n in range(6)]
    history_ = [JobCreated(org_id=ORG, project_id=IDS[1], kind="k", parameters={},
                           created_by=None), JobStarted(org_id=ORG), *progress]
    store.append([NewEvent(aggregate_id=job_id, aggregate_version=n, event=e)
                  for n, e in enumerate(history_[:4], start=1)], META)
    cache = JobCache(store, ttl=0)
    seen = asyncio.run(cache.get(job_id))
    assert seen is not None and seen.version == 4
    store.append([NewEvent(aggregate_id=job_id, aggregate_version=n, event=e)
                  for n, e in enumerate(history_[4:], start=5)], META)
    snapshot = Job.rebuild(job_id, history_[:6])
    store.save_snapshot(Snapshot(aggregate_id=job_id, version=6, state_version=Job.state_version(),
                                 state=snapshot.snapshot_state()))
    full = Job.rebuild(job_id, history_)
    for reader in (cache, JobCache(store, ttl=0)):  # known before the snapshot; never seen
        job = asyncio.run(reader.get(job_id, fresh=True))
        assert job is not None and job.version == 8
        assert job.snapshot_state() == full.snapshot_state()
    assert asyncio.run(JobCache(store).get(UUID(int=78))) is None


def test_a_stored_state_builds_only_plain_values_and_classes_of_the_domain() -> None:
    from domain.catalog.item_status import ItemStatus

    state = {"balance": Decimal("1.50"), "keys": {UUID(int=1): (1, "a")}, "seen": {UUID(int=2)},
             "at": datetime(2026, 1, 2, tzinfo=UTC), "status": ItemStatus.APPROVED}
    assert snapshot_codec.loads(snapshot_codec.dumps(state)) == state
    for foreign in (b'{"$dict": [["x", {"$dataclass": ["os:system", {}]}]]}',
                    b'{"$dict": [["x", {"$enum": ["subprocess:Popen", 1]}]]}', b"\x80\x04K\x01."):
        with pytest.raises(snapshot_codec.UnreadableState):
            snapshot_codec.loads(foreign)
    with pytest.raises(TypeError):
        snapshot_codec.dumps({"handle": object()})

"""In-process turns on aggregates: a unit of work that loads many never waits on a stripe it
holds itself, and waits at most once on another's."""

import threading
import time
from uuid import UUID

from adapters.memory_store import InMemoryEventStore
from commands.locks import MAX_HELD, STRIPES, WAIT_SECONDS, AggregateLocks
from commands.unit_of_work import UnitOfWork
from domain.catalog.project import Project


def same_stripe(n: int) -> list[UUID]:
    """`n` ids that all share one lock stripe."""
    return [UUID(int=k * STRIPES + 7) for k in range(1, n + 1)]


def test_loading_many_aggregates_of_one_stripe_does_not_wait() -> None:
    locks = AggregateLocks()
    uow = UnitOfWork(InMemoryEventStore(), locks)
    started = time.perf_counter()
    for aggregate_id in same_stripe(50):
        uow.get(Project, aggregate_id)
    assert time.perf_counter() - started < WAIT_SECONDS
    uow.release()
    assert locks.stripe(same_stripe(1)[0]).acquire(blocking=False)


def test_a_unit_of_work_holds_a_bounded_number_of_stripes() -> None:
    locks = AggregateLocks()
    uow = UnitOfWork(InMemoryEventStore(), locks)
    for n in range(MAX_HELD * 3):
        uow.get(Project, UUID(int=n))
    held = sum(1 for n in range(STRIPES) if not locks.stripe(UUID(int=n)).acquire(blocking=False))
    assert held == MAX_HELD


def test_a_busy_stripe_is_waited_for_once_then_left_to_optimistic_concurrency() -> None:
    locks = AggregateLocks()
    busy = [UUID(int=n) for n in range(10)]
    for aggregate_id in busy:
        assert locks.stripe(aggregate_id).acquire(blocking=False)
    uow = UnitOfWork(InMemoryEventStore(), locks)
    done = threading.Event()

    def load_all() -> None:
        for aggregate_id in busy:
            uow.get(Project, aggregate_id)
        done.set()
    started = time.perf_counter()
    threading.Thread(target=load_all).start()
    assert done.wait(5)
    assert WAIT_SECONDS <= time.perf_counter() - started < 2 * WAIT_SECONDS

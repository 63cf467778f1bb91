"""Saved queries and product segments: numbered 1, 2, … per organization (never twice, even
when writers race), changed and deleted only by their own organization; a segment needs a
criterion and keeps its criteria clean."""

import threading
from collections.abc import Callable, Sequence
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from commands.search.queries import (
    ChangeQuery,
    DeleteQuery,
    SaveQuery,
    change_query,
    delete_query,
    save_query,
)
from commands.search.segments import (
    ChangeSegment,
    DefineSegment,
    DeleteSegment,
    change_segment,
    define_segment,
    delete_segment,
)
from domain.errors import InvalidCommandError, NotFoundError
from domain.log import EventMeta, NewEvent, SideWrites
from domain.search.numbering import NumberCounter, numbered_id
from domain.search.saved_events import (
    NumberAllocated,
    QueryChanged,
    QuerySaved,
    SegmentChanged,
    SegmentDefined,
)
from domain.search.saved_queries import SavedQuery
from domain.search.segments import ProductSegment, SegmentRule, check_rule
from tests.unit.world import given, then

META = EventMeta(actor_type="user")
ORG = uuid4()


class RivalFirstStore(InMemoryEventStore):
    """Runs a rival command just before the next append, as if it had been a bit faster."""

    def __init__(self) -> None:
        super().__init__()
        self.rival: Callable[[], object] | None = None

    def append(self, events: Sequence[NewEvent], meta: EventMeta,
               side_writes: SideWrites = ()) -> list[int]:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return super().append(events, meta, side_writes)


def run(bus: CommandBus, handler: Callable[..., object], cmd: object) -> object:
    return bus.execute(handler, cmd, META).result


def test_queries_are_numbered_from_one_per_organization() -> None:
    bus = CommandBus(InMemoryEventStore())
    other = uuid4()
    assert [run(bus, save_query, SaveQuery(org_id=ORG, text=f"q{n}")) for n in range(3)] == [
        1, 2, 3]
    assert run(bus, save_query, SaveQuery(org_id=other, text="theirs")) == 1
    ours = SavedQuery.rebuild(numbered_id(ORG, "query", 1), bus.store.load(
        numbered_id(ORG, "query", 1)))
    assert (ours.text, ours.active, ours.org_id) == ("q0", True, ORG)
    assert numbered_id(ORG, "query", 1) != numbered_id(other, "query", 1)


def test_a_writer_that_lost_the_race_takes_the_next_number() -> None:
    store = RivalFirstStore()
    bus, rival_bus = CommandBus(store), CommandBus(store)
    store.rival = lambda: run(rival_bus, save_query, SaveQuery(org_id=ORG, text="rival"))
    assert run(bus, save_query, SaveQuery(org_id=ORG, text="mine")) == 2
    assert [r.event.number for r in store.log if isinstance(r.event, NumberAllocated)] == [1, 2]


def test_racing_writers_never_share_a_number() -> None:
    store = InMemoryEventStore()
    buses = [CommandBus(store) for _ in range(4)]  # as if four API processes
    numbers: list[object] = []

    def create(bus: CommandBus) -> None:
        for n in range(5):
            numbers.append(run(bus, define_segment, DefineSegment(
                org_id=ORG, name=f"s{n}", skus=("A",))))

    threads = [threading.Thread(target=create, args=(bus,)) for bus in buses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 21))  # type: ignore[type-var]


def test_a_query_changes_only_what_is_given_and_only_for_its_organization() -> None:
    query = given(SavedQuery, QuerySaved(org_id=ORG, number=4, text="red shoes", active=True),
                  id=uuid4())
    assert query.change(ORG, text=None, active=None) is False
    query.change(ORG, text="  blue   shoes ", active=None)
    then(query, QueryChanged(org_id=ORG, number=4, text="blue shoes", active=True))
    with pytest.raises(NotFoundError):
        query.change(uuid4(), text="x", active=False)
    with pytest.raises(InvalidCommandError, match="text"):
        query.change(ORG, text="   ", active=None)


def test_a_deleted_query_is_not_found_and_its_number_is_not_given_again() -> None:
    bus = CommandBus(InMemoryEventStore())
    number = run(bus, save_query, SaveQuery(org_id=ORG, text="mugs"))
    assert isinstance(number, int)
    run(bus, change_query, ChangeQuery(org_id=ORG, number=number, active=False))
    with pytest.raises(NotFoundError):
        run(bus, delete_query, DeleteQuery(org_id=uuid4(), number=number))
    run(bus, delete_query, DeleteQuery(org_id=ORG, number=number))
    with pytest.raises(NotFoundError, match="query not found"):
        run(bus, delete_query, DeleteQuery(org_id=ORG, number=number))
    for missing in (number, 99):
        with pytest.raises(NotFoundError, match="query not found"):
            run(bus, change_query, ChangeQuery(org_id=ORG, number=missing, text="x"))
    assert run(bus, save_query, SaveQuery(org_id=ORG, text="again")) == number + 1


def test_a_segment_needs_a_criterion_and_keeps_them_clean() -> None:
    project = uuid4()
    assert check_rule(SegmentRule(project_ids=(project, project), categories=(" Men ", "", "Men"),
                                  skus=("A", "A", "B"))) == SegmentRule(
        project_ids=(project,), categories=("Men",), skus=("A", "B"))
    with pytest.raises(InvalidCommandError, match="project_ids, feeds, categories or skus"):
        check_rule(SegmentRule(categories=("  ",)))
    with pytest.raises(InvalidCommandError, match="skus may hold at most"):
        check_rule(SegmentRule(skus=tuple(str(n) for n in range(5001))))
    segment = ProductSegment(uuid4())
    with pytest.raises(InvalidCommandError, match="name"):
        segment.define(org_id=ORG, number=1, name=" ", rule=SegmentRule(skus=("A",)))


def test_a_segment_is_redefined_by_the_criteria_given() -> None:
    store = InMemoryEventStore()
    bus = CommandBus(store)
    project = uuid4()
    number = run(bus, define_segment, DefineSegment(org_id=ORG, name="Hoodies",
                                                    project_ids=(project,)))
    assert isinstance(number, int)
    segment_id = numbered_id(ORG, "segment", number)
    run(bus, change_segment, ChangeSegment(org_id=ORG, number=number, skus=("H-1",)))
    events = [r.event for r in store.log if r.aggregate_id == segment_id]
    assert isinstance(events[0], SegmentDefined) and isinstance(events[1], SegmentChanged)
    assert (events[1].project_ids, events[1].skus, events[1].name) == ((project,), ("H-1",),
                                                                       "Hoodies")
    with pytest.raises(InvalidCommandError):
        run(bus, change_segment, ChangeSegment(org_id=ORG, number=number, project_ids=(),
                                               skus=()))
    with pytest.raises(NotFoundError, match="segment not found"):
        run(bus, change_segment, ChangeSegment(org_id=uuid4(), number=number, name="x"))
    run(bus, delete_segment, DeleteSegment(org_id=ORG, number=number))
    with pytest.raises(NotFoundError):
        run(bus, delete_segment, DeleteSegment(org_id=ORG, number=number))


def test_a_counter_gives_the_next_number() -> None:
    counter = given(NumberCounter, NumberAllocated(org_id=ORG, kind="query", number=7),
                    id=UUID(int=1))
    assert counter.allocate(ORG, "query") == 8
    then(counter, NumberAllocated(org_id=ORG, kind="query", number=8))

"""Blog publish attempts sent at the same moment are recorded together: one append for the
group, each refusal its own (the others recorded), a stale write runs the group again with
each attempt recorded once, and a lone command is not kept waiting for company."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.blog.publishing import PublishPlan, StartPublish, start_publish
from commands.bus import CommandBus, Outcome
from commands.grouped_commands import GroupedCommands
from commands.unit_of_work import UnitOfWork
from domain.blog import events as e
from domain.blog.post import BlogPost
from domain.errors import ConflictError
from domain.log import EventMeta, NewEvent, SideWrites, StaleWriteError

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ORG, CONNECTION = uuid4(), uuid4()
META = EventMeta(actor_type="system", actor_id="test")


class CountingStore(InMemoryEventStore):
    """Counts appends; `stale_once`: the first append fails as a concurrent writer's would."""

    def __init__(self, *, stale_once: bool = False) -> None:
        super().__init__()
        self.appends = 0
        self.stale_once = stale_once

    def append(self, events: Sequence[NewEvent], meta: EventMeta,
               side_writes: SideWrites = ()) -> list[int]:
        self.appends += 1
        if self.stale_once:
            self.stale_once = False
            raise StaleWriteError(events[0].aggregate_id)
        return super().append(events, meta, side_writes)


def scheduled(bus: CommandBus, at: datetime) -> UUID:
    post_id = uuid4()

    def write(uow: UnitOfWork) -> None:
        post, job = uow.get(BlogPost, post_id), uuid4()
        post.create(org_id=ORG, project_id=uuid4(), post_type="how_to", topic="linen care",
                    source_item_ids=(), wp_category_ids=(), template_id=None, ai_settings={},
                    job_id=job)
        post.record_generation(ORG, job_id=job, title="Linen care", content="<p>Cold.</p>",
                               excerpt="Cold.", slug=f"linen-{post_id.hex[:6]}", seo_meta={},
                               product_links={}, provider="template", model="template",
                               confidence_score=1.0, issues=())
        post.schedule(ORG, scheduled_at=at, now=at - timedelta(hours=1),
                      connection_id=CONNECTION)

    bus.run(write, META)
    return post_id


def attempt(post_id: UUID) -> StartPublish:
    return StartPublish(org_id=ORG, project_id=None, post_id=post_id, connection_id=CONNECTION,
                        wp_status="publish", scheduled=True, now=NOW)


async def attempts(grouped: GroupedCommands[StartPublish, PublishPlan],
                   ids: list[UUID]) -> list[Outcome[PublishPlan] | BaseException]:
    return await asyncio.gather(*(grouped.execute(attempt(i), META) for i in ids),
                                return_exceptions=True)


def started(store: InMemoryEventStore, post_id: UUID) -> int:
    return sum(isinstance(event, e.BlogPostPublishStarted) for event in store.load(post_id))


def test_attempts_sent_together_are_one_append_and_a_refusal_is_its_own() -> None:
    store = CountingStore()
    bus = CommandBus(store)
    due = [scheduled(bus, NOW) for _ in range(5)]
    later = scheduled(bus, NOW + timedelta(hours=1))
    store.appends = 0
    answers = asyncio.run(attempts(GroupedCommands(bus, start_publish), [*due, later]))
    assert store.appends == 1
    assert all(isinstance(a, Outcome) and a.result.post_id == i and a.result.attempt == 1
               for a, i in zip(answers[:5], due, strict=True))
    assert isinstance(answers[5], ConflictError)
    assert [started(store, i) for i in due] == [1] * 5 and started(store, later) == 0
    positions = {a.position for a in answers[:5] if isinstance(a, Outcome)}
    assert positions == {store.log[-1].position}


def test_a_stale_write_runs_the_group_again_and_records_each_attempt_once() -> None:
    store = CountingStore()
    bus = CommandBus(store)
    due = [scheduled(bus, NOW) for _ in range(3)]
    store.stale_once, store.appends = True, 0
    answers = asyncio.run(attempts(GroupedCommands(bus, start_publish), due))
    assert store.appends == 2
    assert all(isinstance(a, Outcome) for a in answers)
    assert [started(store, i) for i in due] == [1, 1, 1]


@pytest.mark.parametrize("count", [1, 2])
def test_a_group_answers_whatever_was_sent_while_the_last_ran(count: int) -> None:
    store = CountingStore()
    bus = CommandBus(store)
    ids = [scheduled(bus, NOW) for _ in range(count)]
    store.appends = 0
    grouped = GroupedCommands(bus, start_publish)

    async def one_then_the_rest() -> list[Outcome[PublishPlan] | BaseException]:
        first = asyncio.ensure_future(grouped.execute(attempt(ids[0]), META))
        for _ in range(2):  # the first group has started
            await asyncio.sleep(0)
        rest = await attempts(grouped, ids[1:])
        return [await first, *rest]

    answers = asyncio.run(asyncio.wait_for(one_then_the_rest(), 10))
    assert all(isinstance(a, Outcome) for a in answers)
    assert store.appends == count

"""External product feeds: numbered per organization, checked when defined (http(s) URL
without credentials, json or xml, canonical field_map), and synced by difference: new and
changed products are recorded with their facts, unchanged ones not at all, and products the
feed no longer lists are removed; a failed sync leaves the products as they were."""

from decimal import Decimal
from uuid import uuid4

import pytest

from commands.search.feed_sync import KIND
from commands.search.feeds import (
    SYNC_KIND,
    ChangeFeed,
    CreateFeed,
    DeleteFeed,
    FailFeedSync,
    RecordFeedSync,
    StartFeedSync,
    change_feed,
    create_feed,
    delete_feed,
    fail_feed_sync,
    feed_id,
    record_feed_sync,
    start_feed_sync,
)
from domain.errors import InvalidCommandError, NotFoundError
from domain.jobs.job import Job
from domain.search.feed_events import (
    FeedCreated,
    FeedDeleted,
    FeedProductsRemoved,
    FeedProductsUpserted,
    FeedSynced,
)
from domain.search.feed_products import FeedProduct
from domain.search.feeds import MAX_BATCH_CHARACTERS, Feed, diff_products, fingerprint
from tests.unit.world import InMemoryWorld, given, then

ORG = uuid4()
FEED = uuid4()
JOB = uuid4()
HOODIE = FeedProduct(sku="H-1", name="Hoodie", price=Decimal("59.90"), url="https://s.test/h")
MUG = FeedProduct(sku="M-1", name="Mug")
BELT = FeedProduct(sku="B-1", name="Belt")
CREATED = FeedCreated(org_id=ORG, number=1, name="Shop", url="https://shop.test/feed.json",
                      format="json", field_map={})


def synced_with(*products: FeedProduct) -> Feed:
    feed = given(Feed, CREATED, FeedProductsUpserted(org_id=ORG, number=1, products=products),
                 id=FEED)
    return feed


def test_a_first_sync_records_every_product_as_new() -> None:
    feed = given(Feed, CREATED, id=FEED)
    diff = feed.sync(ORG, job_id=JOB, products=[HOODIE, MUG], skipped=1)
    assert (diff.added, diff.changed, diff.removed, diff.unchanged) == (2, 0, (), 0)
    then(feed, FeedProductsUpserted(org_id=ORG, number=1, products=(HOODIE, MUG)),
         FeedSynced(org_id=ORG, number=1, job_id=JOB, total=2, added=2, changed=0, removed=0,
                    unchanged=0, skipped=1))


def test_a_resync_records_the_changed_and_removed_products_only() -> None:
    feed = synced_with(HOODIE, MUG, BELT)
    cheaper = FeedProduct(sku="H-1", name="Hoodie", price=Decimal("49.90"), url="https://s.test/h")
    diff = feed.sync(ORG, job_id=JOB, products=[cheaper, MUG])
    assert (diff.added, diff.changed, diff.removed, diff.unchanged) == (0, 1, ("B-1",), 1)
    then(feed, FeedProductsUpserted(org_id=ORG, number=1, products=(cheaper,)),
         FeedProductsRemoved(org_id=ORG, number=1, skus=("B-1",)),
         FeedSynced(org_id=ORG, number=1, job_id=JOB, total=2, added=0, changed=1, removed=1,
                    unchanged=1, skipped=0))
    assert set(feed.products) == {"H-1", "M-1"}


def test_an_unchanged_feed_records_only_the_sync() -> None:
    feed = synced_with(HOODIE, MUG)
    feed.sync(ORG, job_id=JOB, products=[MUG, HOODIE])
    then(feed, FeedSynced(org_id=ORG, number=1, job_id=JOB, total=2, added=0, changed=0,
                          removed=0, unchanged=2, skipped=0))


def test_many_long_products_are_cut_into_events_of_bounded_size() -> None:
    products = [FeedProduct(sku=f"S-{n}", name="x", description="d" * 9000) for n in range(40)]
    feed = given(Feed, CREATED, id=FEED)
    feed.sync(ORG, job_id=JOB, products=products)
    batches = [e for e in feed.collect() if isinstance(e, FeedProductsUpserted)]
    assert len(batches) > 1 and sum(len(b.products) for b in batches) == 40
    assert all(sum(len(p.description) for p in b.products) <= MAX_BATCH_CHARACTERS
               for b in batches)


def test_the_diff_is_by_sku_and_every_fact() -> None:
    held = {"H-1": fingerprint(HOODIE), "B-1": fingerprint(BELT)}
    moved = FeedProduct(sku="B-1", name="Belt", url="https://s.test/b")
    diff = diff_products(held, [moved, MUG])
    assert diff.upserts == (MUG, moved) and diff.removed == ("H-1",)


@pytest.mark.parametrize(("change", "says"), [
    ({"url": "ftp://shop.test/feed"}, "url must be an http"),
    ({"url": "https://user:pw@shop.test/feed"}, "user name or password"),
    ({"url": "https://"}, "url must be an http"),
    ({"format": "csv"}, "format must be one of: json, xml"),
    ({"field_map": {"colour": "color"}}, "field_map"),
    ({"name": "  "}, "name must be"),
])
def test_a_feed_is_refused_naming_what_is_wrong(change: dict[str, object], says: str) -> None:
    world = InMemoryWorld()
    fields: dict[str, object] = {"name": "Shop", "url": "https://shop.test/f", "format": "json",
                                 **change}
    with pytest.raises(InvalidCommandError, match=says):
        world.when(create_feed, CreateFeed(org_id=ORG, **fields))  # type: ignore[arg-type]


def test_feeds_are_numbered_per_organization_and_hidden_from_others() -> None:
    world = InMemoryWorld()
    first = world.when(create_feed, CreateFeed(org_id=ORG, name="A", url="http://a.test/f",
                                               format="xml", field_map={"g:id": "sku"}))
    second = world.when(create_feed, CreateFeed(org_id=ORG, name="B", url="http://b.test/f",
                                                format="json"))
    other = uuid4()
    assert (first, second) == (1, 2)
    assert world.when(create_feed, CreateFeed(org_id=other, name="C", url="http://c.test/f",
                                              format="json")) == 1
    with pytest.raises(NotFoundError):
        world.when(change_feed, ChangeFeed(org_id=other, number=2, name="mine"))
    world.when(change_feed, ChangeFeed(org_id=ORG, number=1, name="A2", format="json"))
    feed = world.load(Feed, feed_id(ORG, 1))
    assert (feed.name, feed.format, feed.field_map) == ("A2", "json", {"g:id": "sku"})
    world.when(delete_feed, DeleteFeed(org_id=ORG, number=1))
    assert isinstance(world.events_of(feed_id(ORG, 1))[-1], FeedDeleted)
    with pytest.raises(NotFoundError):
        world.when(start_feed_sync, StartFeedSync(org_id=ORG, number=1, job_id=uuid4()))


def test_a_sync_job_runs_on_the_feeds_slot_and_records_its_products() -> None:
    world = InMemoryWorld()
    world.when(create_feed, CreateFeed(org_id=ORG, name="A", url="http://a.test/f",
                                       format="json"))
    job_id = world.when(start_feed_sync, StartFeedSync(org_id=ORG, number=1, job_id=uuid4()))
    job = world.load(Job, job_id)
    assert (job.kind, job.project_id, job.parameters) == (SYNC_KIND, feed_id(ORG, 1), {"feed": 1})
    diff = world.when(record_feed_sync, RecordFeedSync(org_id=ORG, number=1, job_id=job_id,
                                                       products=[HOODIE]))
    assert diff.added == 1
    world.when(fail_feed_sync, FailFeedSync(org_id=ORG, number=1, job_id=job_id,
                                            reason="the fetch took too long"))
    assert set(world.load(Feed, feed_id(ORG, 1)).products) == {"H-1"}


def test_the_sync_kind_takes_only_a_feed_number() -> None:
    assert KIND.check_parameters({"feed": 3}) == {"feed": 3}
    for bad in ({}, {"feed": "3"}, {"feed": 0}, {"feed": True}):
        with pytest.raises(InvalidCommandError, match="feed must be"):
            KIND.check_parameters(bad)

"""Bench 14 — blog publishing: the scheduler worker (`copydesk blog-scheduler`, 8 in flight)
publishing 500 posts that fall due at once to the fake WordPress answering each call in
100 ms, against the ideal measured in the same run: the same 500 post creations sent straight
to the same fake by a client keeping 8 in flight. Then the scheduler's delay from a post's
`scheduled_at` to its WordPress call, p99, over 200 posts falling due 50 ms apart (target
≤ 2 s). Every post must be made in WordPress exactly once.

    .venv/bin/python -m bench.blog_publish
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import psycopg

from adapters.embedded import EmbeddedServers
from adapters.postgres.event_store import PostgresEventStore
from adapters.secret_box import SecretBox
from bench.cli import main, say
from bench.measure import percentile
from bench.report import Result, at_least
from bench.servers import BenchEnv
from commands.blog.connections import CreateConnection, SealedPassword, create_connection
from commands.bus import CommandBus
from commands.unit_of_work import UnitOfWork
from domain.blog.post import BlogPost
from domain.log import EventMeta
from tests.fakes.wordpress_server import FakeUser, FakeWordPress, running_fake_wordpress
from tests.support import wait_until
from workers.admin import create_organization

NAME = "14 blog_publish"
POSTS = 500
STAGGERED = 200
IN_FLIGHT = 8
LATENCY = 0.1
TARGET = 0.9
DELAY_TARGET = 2.0
PASSWORD = "Bn12 Ch34 Mk56 Pw78"
META = EventMeta(actor_type="system", actor_id="bench")


@dataclasses.dataclass(frozen=True)
class Seeded:
    org_id: UUID
    connection_id: UUID


@dataclasses.dataclass(frozen=True)
class ScheduleMany:
    org_id: UUID
    connection_id: UUID
    posts: tuple[tuple[UUID, datetime], ...]
    tag: str
    first: int
    """The number of the first post (its title and slug)."""


def _schedule_many(uow: UnitOfWork, cmd: ScheduleMany) -> None:
    """Posts written (as the offline writer would leave them) and scheduled, in one save."""
    project_id, now = uuid4(), datetime.now(UTC)
    for n, (post_id, at) in enumerate(cmd.posts, start=cmd.first):
        post, job_id = uow.get(BlogPost, post_id), uuid4()
        post.create(org_id=cmd.org_id, project_id=project_id, post_type="how_to",
                    topic=f"bench {cmd.tag} {n}", source_item_ids=(), wp_category_ids=(),
                    template_id=None, ai_settings={}, job_id=job_id)
        post.record_generation(
            cmd.org_id, job_id=job_id, title=f"Bench {cmd.tag} post {n}",
            content="<p>" + "Linen and brass. " * 40 + "</p>", excerpt="Linen and brass.",
            slug=f"bench-{cmd.tag}-{n}", seo_meta={}, product_links={}, provider="template",
            model="template", confidence_score=1.0, issues=())
        post.schedule(cmd.org_id, scheduled_at=at, now=now, connection_id=cmd.connection_id)


def _seed(env: BenchEnv, wp: FakeWordPress) -> Seeded:
    org_id = create_organization(env.settings, "Bench blog", f"bench-{uuid4().hex[:8]}@x.test",
                                 "correct horse battery staple")
    box = SecretBox(env.settings.secret_key)
    connection_id = uuid4()
    store = PostgresEventStore(env.database_url, pool_size=1, max_overflow=1)
    try:
        CommandBus(store).execute(create_connection, CreateConnection(
            org_id=org_id, connection_id=connection_id, name="Bench blog", site_url=wp.url,
            username="editor", password=SealedPassword(ciphertext=box.seal(PASSWORD),
                                                       fingerprint=box.fingerprint(PASSWORD))),
            META)
    finally:
        store.close()
    return Seeded(org_id, connection_id)


def _schedule(env: BenchEnv, seeded: Seeded, times: list[datetime], tag: str) -> list[UUID]:
    ids = [uuid4() for _ in times]
    store = PostgresEventStore(env.database_url, pool_size=1, max_overflow=1)
    try:
        bus = CommandBus(store)
        for start in range(0, len(ids), 100):
            bus.execute(_schedule_many, ScheduleMany(
                seeded.org_id, seeded.connection_id,
                tuple(zip(ids[start:start + 100], times[start:start + 100], strict=True)),
                tag, start), META)
    finally:
        store.close()
    return ids


def _published(env: BenchEnv, ids: list[UUID]) -> tuple[int, datetime | None]:
    with psycopg.connect(env.database_url) as conn:
        row = conn.execute("SELECT count(*), max(updated_at) FROM rm_blog.blog_posts"
                           " WHERE id = ANY(%s) AND status = 'published'", (ids,)).fetchone()
    assert row is not None
    return int(row[0]), row[1]


async def _ideal(wp: FakeWordPress, count: int) -> float:
    """`count` post creations straight to the fake, `IN_FLIGHT` at a time."""
    auth = httpx.BasicAuth("editor", PASSWORD)
    gate = asyncio.Semaphore(IN_FLIGHT)
    async with httpx.AsyncClient(base_url=wp.url, auth=auth, timeout=30) as http:
        async def one(n: int) -> None:
            async with gate:
                response = await http.post("/wp-json/wp/v2/posts", json={
                    "title": f"Ideal {n}", "content": "<p>x</p>", "status": "publish",
                    "slug": f"ideal-{n}"})
                assert response.status_code == 201, response.text
        began = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        return time.monotonic() - began


def _delays(wp: FakeWordPress, ids: list[UUID], times: list[datetime]) -> list[float]:
    """Per post, seconds from its `scheduled_at` to the WordPress call that made it."""
    due = {f"bench-staggered-{n}": at for n, at in enumerate(times)}
    seen = {c.body["slug"]: c.at for c in wp.calls
            if c.method == "POST" and c.path == "/wp-json/wp/v2/posts"
            and isinstance(c.body, dict) and c.body.get("slug") in due}
    assert len(seen) == len(ids), f"{len(seen)} of {len(ids)} staggered posts were sent"
    return [seen[slug] - at.timestamp() for slug, at in due.items()]


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("blog_publish", servers) as env, running_fake_wordpress() as wp:
        env.settings = dataclasses.replace(env.settings, feeds_allow_loopback=True,
                                           blog_publish_concurrency=IN_FLIGHT)
        env.processes.settings = env.settings
        wp.users["editor"] = FakeUser(password=PASSWORD)
        wp.latency_seconds = LATENCY
        say(NAME, f"the ideal: {POSTS} creations, {IN_FLIGHT} in flight")
        ideal_s = asyncio.run(_ideal(wp, POSTS))
        wp.posts.clear()
        wp.calls.clear()
        env.start_pipeline()
        seeded = _seed(env, wp)
        at = datetime.now(UTC) + timedelta(seconds=25)
        say(NAME, f"{POSTS} posts due at once, {at:%H:%M:%S}")
        burst = _schedule(env, seeded, [at] * POSTS, "burst")
        env.wait_for_projections(120)
        env.processes.start("scheduler", "blog-scheduler")
        wait_until(lambda: _published(env, burst)[0] == POSTS, 300, "the burst to be published")
        _, last = _published(env, burst)
        assert last is not None
        ours_s = (last - at).total_seconds()
        made = len(wp.posts)
        burst_calls = len(wp.calls)
        say(NAME, f"{STAGGERED} posts due 50 ms apart")
        start = datetime.now(UTC) + timedelta(seconds=15)
        times = [start + timedelta(milliseconds=50 * n) for n in range(STAGGERED)]
        staggered = _schedule(env, seeded, times, "staggered")
        wait_until(lambda: _published(env, staggered)[0] == STAGGERED, 300,
                   "the staggered posts to be published")
        delays = _delays(wp, staggered, times)
        total_made = len(wp.posts)
    p50, p99, worst = (percentile(delays, q) for q in (50, 99, 100))
    once = made == POSTS and total_made == POSTS + STAGGERED
    return [
        Result(bench=NAME, case=f"{POSTS} due posts published, {IN_FLIGHT} in flight, "
               f"{LATENCY * 1000:.0f} ms a call", unit="posts/s",
               baseline_label=f"the same creations sent straight, {IN_FLIGHT} in flight",
               baseline=POSTS / ideal_s, figure=POSTS / ours_s, target=TARGET,
               target_text=at_least(TARGET),
               notes=[f"ideal {ideal_s:.2f} s (theory {POSTS * LATENCY / IN_FLIGHT:.2f} s); "
                      f"scheduler {ours_s:.2f} s from scheduled_at to the last post recorded "
                      f"published; {burst_calls} WordPress calls; WordPress posts made "
                      f"{made} for {POSTS}"],
               caveat="" if once else "posts not made exactly once"),
        Result(bench=NAME, case="delay from scheduled_at to the WordPress call, p99",
               unit="s", baseline_label="target", baseline=DELAY_TARGET, figure=p99,
               target=DELAY_TARGET, higher_is_better=False,
               target_text=f"\u2264 {DELAY_TARGET:.0f} s",
               notes=[f"{STAGGERED} posts due 50 ms apart: p50 {p50:.3f} s, p99 {p99:.3f} s, "
                      f"worst {worst:.3f} s"]),
    ]


if __name__ == "__main__":
    main(run, "blog_publish")

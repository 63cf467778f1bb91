"""Publishing blog posts to WordPress over real HTTP, against the local fake WordPress: a post
the offline writer wrote is scheduled a few seconds ahead, the scheduler worker is killed and
started again after the time has passed, and the post is published once (caught up); a second
publish updates the same WordPress post; unpublish sets it to draft there and here; two
scheduler processes publish each post once; a featured image goes up as media first; bad
input is answered 4xx naming the problem."""

import io
import signal
import time
from collections.abc import Iterator
from datetime import datetime
from uuid import uuid4

import pytest
from PIL import Image

from adapters.blog.wordpress_posts import META_KEY
from adapters.embedded import EmbeddedServers
from tests.e2e.blog_publish_steps import (
    Blog,
    connect_blog,
    created_posts,
    fake_wordpress,
    in_seconds,
    post_path,
    publish,
    publishing_stack,
    schedule,
    wait_post,
    written_post,
)
from tests.e2e.catalog_steps import call
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.image_server import serving_files
from tests.fakes.wordpress_server import FakeWordPress
from tests.support import Stack


@pytest.fixture(scope="module")
def pub_stack(servers: EmbeddedServers,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with publishing_stack(servers.database_url, tmp_path_factory.mktemp("publish")) as stack:
        yield stack


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    with fake_wordpress() as fake:
        yield fake


@pytest.fixture
def tenant(pub_stack: Stack) -> Tenant:
    return new_tenant(pub_stack, "Home Shop")


def stop_schedulers(stack: Stack) -> None:
    for name in [n for n in stack.processes.running if n.startswith("scheduler")]:
        stack.processes.kill(name, signal.SIGKILL)


def test_a_scheduled_post_is_published_once_after_the_scheduler_restarts_then_unpublished(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    wp.registered_meta.add(META_KEY)
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "lighting a reading corner")
    assert post["status"] == "draft"
    pub_stack.processes.start("scheduler", "blog-scheduler")
    at = in_seconds(3)
    scheduled = schedule(pub_stack, tenant, blog, post["id"], at,
                         connection_id=blog.connection_id)
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["status"] == "scheduled"
    assert datetime.fromisoformat(scheduled.json()["scheduled_at"]) == at
    stop_schedulers(pub_stack)  # killed: nothing of the schedule was only in its memory
    time.sleep(4)
    assert wp.posts == {}  # nobody published it while no scheduler ran
    pub_stack.processes.start("scheduler", "blog-scheduler")
    published = wait_post(pub_stack, tenant, blog, post["id"],
                          lambda p: p["status"] == "published", "the scheduler to publish")
    [(wp_id, made)] = wp.posts.items()
    assert published["wp_post_id"] == wp_id
    assert published["published_url"] == f"{wp.url}/{made['slug']}/"
    assert made["status"] == "publish" and made["title"] == post["title"]
    assert made["slug"] == post["slug"] and made["meta"] == {META_KEY: post["id"]}
    assert published["published_at"] and published["scheduled_at"]
    [creating] = created_posts(wp)
    assert creating.at >= at.timestamp()  # not before its time

    again = publish(pub_stack, tenant, blog, post["id"])
    assert again.status_code == 200, again.text
    assert again.json()["wp_post_id"] == wp_id and len(wp.posts) == 1
    assert len(created_posts(wp)) == 1  # the second publish updated the same post

    gone = call(pub_stack, "POST", post_path(blog, post["id"], "/unpublish"), tenant.headers)
    assert gone.status_code == 200, gone.text
    assert gone.json()["status"] == "draft" and wp.posts[wp_id]["status"] == "draft"
    assert gone.json()["wp_post_id"] == wp_id
    stop_schedulers(pub_stack)


def test_two_scheduler_processes_publish_each_post_once(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    posts = [written_post(pub_stack, tenant, blog, f"rugs for room {n}") for n in range(4)]
    wp.latency_seconds = 0.2  # both schedulers see the posts due while the first publishes
    pub_stack.processes.start("scheduler-a", "blog-scheduler")
    pub_stack.processes.start("scheduler-b", "blog-scheduler")
    at = in_seconds(3)
    for post in posts:
        response = schedule(pub_stack, tenant, blog, post["id"], at)
        assert response.status_code == 200, response.text
    for post in posts:
        wait_post(pub_stack, tenant, blog, post["id"], lambda p: p["status"] == "published",
                  "both schedulers to publish")
    assert len(wp.posts) == 4 and len(created_posts(wp)) == 4
    assert sorted(p["title"] for p in wp.posts.values()) == sorted(p["title"] for p in posts)
    stop_schedulers(pub_stack)


def test_unscheduling_keeps_the_post_from_the_scheduler(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "lamps for long evenings")
    pub_stack.processes.start("scheduler", "blog-scheduler")
    assert schedule(pub_stack, tenant, blog, post["id"], in_seconds(2)).status_code == 200
    off = call(pub_stack, "POST", post_path(blog, post["id"], "/unschedule"), tenant.headers)
    assert off.status_code == 200, off.text
    assert off.json()["status"] == "draft" and off.json()["scheduled_at"] is None
    time.sleep(3)
    assert wp.posts == {} and wp.post_calls() == []
    again = call(pub_stack, "POST", post_path(blog, post["id"], "/unschedule"), tenant.headers)
    assert again.status_code == 409, again.text
    stop_schedulers(pub_stack)


def test_bad_publishing_input_is_refused_naming_the_problem(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "brass care")
    past = schedule(pub_stack, tenant, blog, post["id"], in_seconds(-60))
    assert past.status_code == 422 and "scheduled_at" in past.json()["detail"], past.text
    naive = call(pub_stack, "POST", post_path(blog, post["id"], "/schedule"), tenant.headers,
                 {"scheduled_at": "2031-01-01T09:00:00"})
    assert naive.status_code == 422 and "time zone" in naive.json()["detail"], naive.text
    wrong = call(pub_stack, "POST", post_path(blog, post["id"], "/schedule"), tenant.headers,
                 {"scheduled_at": "next tuesday"})
    assert wrong.status_code == 400 and "scheduled_at" in wrong.text, wrong.text
    status = publish(pub_stack, tenant, blog, post["id"], wp_status="future")
    assert status.status_code == 422 and "wp_status" in status.json()["detail"], status.text
    unknown = publish(pub_stack, tenant, blog, post["id"], connection_id=str(uuid4()))
    assert unknown.status_code == 404, unknown.text
    never = call(pub_stack, "POST", post_path(blog, post["id"], "/unpublish"), tenant.headers)
    assert never.status_code == 409, never.text
    assert wp.post_calls() == []  # nothing reached WordPress
    shown = call(pub_stack, "GET", post_path(blog, post["id"]), tenant.headers).json()
    assert shown["status"] == "draft" and shown["scheduled_at"] is None


def test_another_organizations_post_and_connection_are_not_found(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "wool rugs")
    other = new_tenant(pub_stack, "Other Shop")
    for tail in ("/publish", "/unpublish", "/unschedule"):
        response = call(pub_stack, "POST", post_path(blog, post["id"], tail), other.headers,
                        {"connection_id": blog.connection_id})
        assert response.status_code == 404, (tail, response.text)
    theirs = connect_blog(pub_stack, other, wp)
    mixed = publish(pub_stack, tenant, Blog(blog.project_id, theirs.connection_id), post["id"])
    assert mixed.status_code == 404, mixed.text
    assert wp.post_calls() == []


def test_the_featured_image_goes_up_as_media_and_is_set_on_the_post(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(picture, format="PNG")
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "amber lamps")
    with serving_files({"/pictures/amber.png": (picture.getvalue(), "image/png")}) as base:
        changed = call(pub_stack, "PATCH", post_path(blog, post["id"]), tenant.headers,
                       {"featured_image_url": f"{base}/pictures/amber.png"})
        assert changed.status_code == 200, changed.text
        response = publish(pub_stack, tenant, blog, post["id"])
    assert response.status_code == 200, response.text
    [(media_id, media)] = wp.media.items()
    assert media["data"] == picture.getvalue() and media["mime_type"] == "image/png"
    assert media["source_url"].endswith("/amber.png")
    assert wp.posts[response.json()["wp_post_id"]]["featured_media"] == media_id
    uploads = [c for c in wp.calls if c.path == "/wp-json/wp/v2/media"]
    assert uploads[0].at < created_posts(wp)[0].at  # the media first, then the post

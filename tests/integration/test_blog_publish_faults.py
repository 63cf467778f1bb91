"""Breaking WordPress and the scheduler on purpose while blog posts are published: WordPress
down during a scheduled publish (tried again, then failed with the reason in the post; or
back in time and published once), a 401 (a clear error, not tried again), the answer lost
after WordPress made the post, and the scheduler killed between WordPress's answer and our
event — never a second WordPress post."""

import signal
from collections.abc import Iterator

import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.blog_publish_steps import (
    connect_blog,
    created_posts,
    fake_wordpress,
    in_seconds,
    publish,
    publishing_stack,
    schedule,
    wait_post,
    written_post,
)
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.wordpress_server import FakeWordPress
from tests.support import Stack, assert_read_models_equal_rebuild, wait_for_projections, wait_until

pytestmark = pytest.mark.fault


@pytest.fixture(scope="module")
def pub_stack(servers: EmbeddedServers,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with publishing_stack(servers.database_url, tmp_path_factory.mktemp("faults")) as stack:
        stack.processes.start("scheduler", "blog-scheduler")
        yield stack


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    with fake_wordpress() as fake:
        yield fake


@pytest.fixture
def tenant(pub_stack: Stack) -> Tenant:
    return new_tenant(pub_stack, "Fault Shop")


def test_wordpress_down_during_a_scheduled_publish_is_retried_then_failed_with_the_reason(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "lamps that outlast us")
    wp.go_down()
    assert schedule(pub_stack, tenant, blog, post["id"], in_seconds(1)).status_code == 200
    failed = wait_post(pub_stack, tenant, blog, post["id"],
                       lambda p: p["status"] == "publish_failed", "the publish to be given up")
    error = failed["publish_error"]
    assert "could not be reached" in error["reason"] and error["attempts"] == 3, error
    wp.come_back()
    assert wp.posts == {}
    assert_read_models_equal_rebuild(pub_stack.settings)


def test_wordpress_back_before_the_last_try_gets_the_post_published_once(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "rugs under desks")
    wp.unavailable_next = 1  # the first attempt is answered 503
    assert schedule(pub_stack, tenant, blog, post["id"], in_seconds(1)).status_code == 200
    published = wait_post(pub_stack, tenant, blog, post["id"],
                          lambda p: p["status"] == "published", "a later attempt to publish")
    assert list(wp.posts) == [published["wp_post_id"]] and len(wp.post_calls("POST")) == 2
    assert published["publish_error"] is None


def test_a_refused_password_is_a_clear_error_and_is_not_tried_again(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "brass and linen")
    wp.revoked = True
    refused = publish(pub_stack, tenant, blog, post["id"])
    assert refused.status_code == 422, refused.text
    assert "refused the blog connection's credentials" in refused.json()["detail"]
    assert "app_password" in refused.json()["detail"]
    assert schedule(pub_stack, tenant, blog, post["id"], in_seconds(1)).status_code == 200
    failed = wait_post(pub_stack, tenant, blog, post["id"],
                       lambda p: p["status"] == "publish_failed", "the scheduler to give up")
    assert "credentials" in failed["publish_error"]["reason"]
    assert len(wp.post_calls()) == 2  # one from the request, one from the scheduler
    assert wp.posts == {}


def test_an_answer_lost_after_wordpress_made_the_post_makes_no_second_one(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "reading lamps")
    wp.drop_answer_after_create = 1
    lost = publish(pub_stack, tenant, blog, post["id"])
    assert lost.status_code == 503, lost.text
    assert len(wp.posts) == 1  # made there, unknown here
    again = publish(pub_stack, tenant, blog, post["id"])
    assert again.status_code == 200, again.text
    assert list(wp.posts) == [again.json()["wp_post_id"]] and len(created_posts(wp)) == 1
    assert again.json()["published_url"] == f"{wp.url}/{wp.posts[again.json()['wp_post_id']]['slug']}/"


def test_a_scheduler_killed_between_wordpress_answer_and_our_event_makes_no_second_post(
    pub_stack: Stack, tenant: Tenant, wp: FakeWordPress
) -> None:
    blog = connect_blog(pub_stack, tenant, wp)
    post = written_post(pub_stack, tenant, blog, "wool throws")
    wp.latency_seconds = 1.5  # time to kill the scheduler while WordPress makes the post
    assert schedule(pub_stack, tenant, blog, post["id"], in_seconds(1)).status_code == 200
    wait_until(lambda: len(created_posts(wp)) == 1, 20, "the scheduler's create call")
    pub_stack.processes.kill("scheduler", signal.SIGKILL)
    wait_until(lambda: len(wp.posts) == 1, 5, "WordPress to make the post anyway")
    wp.latency_seconds = 0.0
    pub_stack.processes.start("scheduler", "blog-scheduler")
    published = wait_post(pub_stack, tenant, blog, post["id"],
                          lambda p: p["status"] == "published", "the restarted scheduler")
    assert list(wp.posts) == [published["wp_post_id"]] and len(created_posts(wp)) == 1
    wait_for_projections(pub_stack.settings)
    assert_read_models_equal_rebuild(pub_stack.settings)

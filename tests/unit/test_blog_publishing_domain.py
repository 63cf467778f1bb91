"""A blog post's publishing rules, given its events: a first attempt creates without a lookup,
an attempt whose outcome was never recorded makes the next one look the post up first, a
scheduled attempt is refused once the post is no longer due, a failure is tried again or
given up with its reason, and a schedule must lie in the future."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.blog import events as e
from domain.blog.post import PUBLISH_FAILED, BlogPost
from domain.errors import ConflictError, InvalidCommandError

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ORG, CONNECTION = uuid4(), uuid4()


def written() -> BlogPost:
    post, job = BlogPost(uuid4()), uuid4()
    post.create(org_id=ORG, project_id=uuid4(), post_type="how_to", topic="linen care",
                source_item_ids=(), wp_category_ids=(), template_id=None, ai_settings={},
                job_id=job)
    post.record_generation(ORG, job_id=job, title="Linen care", content="<p>Wash cold.</p>",
                           excerpt="Wash cold.", slug="linen-care", seo_meta={},
                           product_links={}, provider="template", model="template",
                           confidence_score=1.0, issues=())
    post.collect()
    return post


def scheduled(at: datetime = NOW) -> BlogPost:
    post = written()
    post.schedule(ORG, scheduled_at=at, now=at - timedelta(hours=1), connection_id=CONNECTION)
    post.collect()
    return post


def start(post: BlogPost, *, scheduled: bool = False, now: datetime = NOW) -> bool:
    return post.start_publish(ORG, connection_id=CONNECTION, wp_status="publish",
                              scheduled=scheduled, now=now)


def test_the_first_attempt_records_itself_and_needs_no_lookup() -> None:
    post = written()
    assert start(post) is False
    [started] = post.collect()
    assert isinstance(started, e.BlogPostPublishStarted)
    assert (started.attempt, started.scheduled, started.connection_id) == (1, False, CONNECTION)


def test_an_attempt_without_a_recorded_outcome_makes_the_next_look_first() -> None:
    post = written()
    start(post)  # the process died here, after WordPress may have made the post
    assert start(post) is True
    post.record_published(ORG, connection_id=CONNECTION, wp_post_id=41, published_url="u",
                          wp_status="publish", published_at=NOW)
    assert start(post) is False  # known now: updated by its id


def test_a_scheduled_attempt_is_refused_before_its_time_and_once_published() -> None:
    post = scheduled()
    with pytest.raises(ConflictError, match="no longer due"):
        start(post, scheduled=True, now=NOW - timedelta(seconds=1))
    start(post, scheduled=True)
    post.record_published(ORG, connection_id=CONNECTION, wp_post_id=41, published_url="u",
                          wp_status="publish", published_at=NOW)
    with pytest.raises(ConflictError, match="no longer due"):
        start(post, scheduled=True)


def test_a_failed_scheduled_attempt_waits_for_its_retry_then_is_given_up() -> None:
    post = scheduled()
    start(post, scheduled=True)
    post.record_publish_failure(ORG, "down", retry_at=NOW + timedelta(seconds=30))
    assert post.status == "scheduled" and post.publish_failures == 1
    with pytest.raises(ConflictError):
        start(post, scheduled=True, now=NOW + timedelta(seconds=10))
    start(post, scheduled=True, now=NOW + timedelta(seconds=30))
    post.record_publish_failure(ORG, "still down", gave_up=True)
    failed = post.collect()[-1]
    assert isinstance(failed, e.BlogPostPublishFailed)
    assert (failed.attempts, failed.gave_up, failed.reason) == (2, True, "still down")
    assert post.status == PUBLISH_FAILED


def test_a_failed_request_publish_leaves_the_status_as_it_was() -> None:
    post = written()
    start(post)
    post.record_publish_failure(ORG, "refused")
    assert post.status == "draft"


def test_a_schedule_lies_in_the_future_with_a_time_zone() -> None:
    post = written()
    with pytest.raises(InvalidCommandError, match="in the future"):
        post.schedule(ORG, scheduled_at=NOW, now=NOW, connection_id=CONNECTION)
    with pytest.raises(InvalidCommandError, match="time zone"):
        post.schedule(ORG, scheduled_at=datetime(2030, 1, 1), now=NOW, connection_id=CONNECTION)


def test_publish_takes_the_four_wordpress_statuses_only() -> None:
    with pytest.raises(InvalidCommandError, match="wp_status"):
        written().start_publish(ORG, connection_id=CONNECTION, wp_status="future",
                                scheduled=False, now=NOW)

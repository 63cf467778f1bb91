"""A blog post's life as events: asked for, written by its job, edited (each change of its
text a version), regenerated, published, unpublished, scheduled only into the future,
unscheduled, a failed publication kept; its slug unique in the project; its HTML sanitised."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.blog import events as e
from domain.blog.html_sanitizer import sanitize_html
from domain.blog.post import BlogPost
from domain.blog.post_settings import check_post_settings
from domain.blog.post_slugs import BlogSlugDirectory, slug_of
from domain.errors import ConflictError, InvalidCommandError, NotFoundError

ORG, PROJECT = uuid4(), uuid4()
NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


def asked_for(job_id: UUID | None = None) -> BlogPost:
    post = BlogPost(uuid4())
    post.create(org_id=ORG, project_id=PROJECT, post_type="buying_guide", topic=" tents  ",
                source_item_ids=("a", "b", "a"), wp_category_ids=(4, 4, 9), template_id=None,
                ai_settings={"ai_provider": "template"}, job_id=job_id or uuid4())
    return post


def written(post: BlogPost | None = None) -> BlogPost:
    post = post or asked_for()
    assert post.job_id is not None
    post.record_generation(ORG, job_id=post.job_id, title="Tents", content="<p>Tents</p>",
                           excerpt="About tents", slug="tents", seo_meta={"title": "Tents"},
                           product_links={}, provider="template", model="template-writer",
                           confidence_score=1.0, issues=())
    return post


def test_a_post_is_asked_for_with_its_type_topic_and_products_and_waits_for_its_job() -> None:
    post = asked_for()
    created = post.pending[0]
    assert isinstance(created, e.BlogPostCreated)
    assert (created.post_topic, created.source_item_ids, created.wp_category_ids) == (
        "tents", ("a", "b"), (4, 9))
    assert post.status == "generating"


def test_an_unknown_post_type_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidCommandError, match="product_roundup, buying_guide, how_to"):
        BlogPost(uuid4()).create(org_id=ORG, project_id=PROJECT, post_type="essay", topic="x",
                                 source_item_ids=(), wp_category_ids=(), template_id=None,
                                 ai_settings={}, job_id=uuid4())


def test_the_job_that_writes_it_makes_it_a_draft_with_its_first_version() -> None:
    post = written()
    generated = post.pending[-1]
    assert isinstance(generated, e.BlogPostGenerated) and generated.content_version == 1
    assert (post.status, post.slug) == ("draft", "tents")


def test_another_job_cannot_record_a_text_on_the_post() -> None:
    post = asked_for()
    with pytest.raises(ConflictError):
        post.record_generation_failure(ORG, uuid4(), "no")


def test_a_change_of_the_text_is_a_new_version_and_a_change_of_nothing_records_nothing() -> None:
    post = written()
    assert not post.change(ORG, {"title": "Tents", "status": None})
    assert post.change(ORG, {"content": "<p>Better tents</p>", "status": "review"})
    changed = post.pending[-1]
    assert isinstance(changed, e.BlogPostChanged) and changed.content_version == 2
    assert post.change(ORG, {"status": "approved"})
    assert post.pending[-1].content_version == 0  # type: ignore[attr-defined]


def test_a_featured_image_is_an_http_url() -> None:
    post = written()
    assert post.change(ORG, {"featured_image_url": "https://cdn.test/tent.jpg"})
    with pytest.raises(InvalidCommandError, match="featured_image_url"):
        post.change(ORG, {"featured_image_url": "javascript:alert(1)"})


def test_a_reviewer_cannot_set_a_publishing_status() -> None:
    with pytest.raises(InvalidCommandError, match="publishing and scheduling"):
        written().change(ORG, {"status": "published"})


def test_a_post_being_generated_is_neither_edited_nor_regenerated_again() -> None:
    post = asked_for()
    with pytest.raises(ConflictError):
        post.change(ORG, {"title": "x"})
    with pytest.raises(ConflictError):
        post.start_regeneration(ORG, uuid4())


def test_a_regeneration_keeps_counting_versions() -> None:
    post = written()
    job = uuid4()
    post.start_regeneration(ORG, job)
    assert post.status == "generating"
    written(post)
    assert post.pending[-1].content_version == 2  # type: ignore[attr-defined]


def test_publishing_then_unpublishing_goes_back_to_draft_and_keeps_the_wordpress_id() -> None:
    post = written()
    post.record_published(ORG, connection_id=uuid4(), wp_post_id=41,
                          published_url="https://blog.test/tents", wp_status="publish",
                          published_at=NOW)
    assert (post.status, post.wp_post_id) == ("published", 41)
    post.record_unpublished(ORG)
    assert (post.status, post.wp_post_id) == ("draft", 41)
    with pytest.raises(ConflictError):
        post.record_unpublished(ORG)


def test_a_post_is_scheduled_only_into_the_future_and_unscheduled_back_to_draft() -> None:
    post = written()
    with pytest.raises(InvalidCommandError, match="future"):
        post.schedule(ORG, scheduled_at=NOW, now=NOW, connection_id=uuid4())
    with pytest.raises(InvalidCommandError, match="wp_status"):
        post.schedule(ORG, scheduled_at=NOW + timedelta(hours=1), now=NOW,
                      connection_id=uuid4(), wp_status="live")
    post.schedule(ORG, scheduled_at=NOW + timedelta(hours=1), now=NOW, connection_id=uuid4())
    assert (post.status, post.scheduled_at) == ("scheduled", NOW + timedelta(hours=1))
    post.unschedule(ORG)
    assert (post.status, post.scheduled_at) == ("draft", None)


def test_a_failed_publication_is_recorded_with_its_reason_and_attempts() -> None:
    post = written()
    post.start_publish(ORG, connection_id=uuid4(), wp_status="publish", scheduled=False, now=NOW)
    post.record_publish_failure(ORG, "WordPress answered 500")
    failed = post.pending[-1]
    assert isinstance(failed, e.BlogPostPublishFailed) and failed.attempts == 1
    assert post.status == "draft"


def test_another_organizations_post_and_a_deleted_one_are_not_found() -> None:
    post = written()
    with pytest.raises(NotFoundError):
        post.change(uuid4(), {"title": "x"})
    post.delete(ORG)
    with pytest.raises(NotFoundError):
        post.record_unpublished(ORG)


def test_a_slug_is_held_by_one_post_of_the_project_and_freed_by_its_release() -> None:
    directory = BlogSlugDirectory(uuid4())
    first, second = uuid4(), uuid4()
    directory.claim(ORG, first, "tents")
    with pytest.raises(ConflictError, match="taken"):
        directory.claim(ORG, second, "tents")
    assert directory.free_slug(second, "Tents!") == "tents-2"
    assert directory.free_slug(first, "Tents") == "tents"
    directory.release(ORG, first)
    directory.claim(ORG, second, "tents")
    with pytest.raises(InvalidCommandError, match="slug"):
        directory.claim(ORG, first, "Not A Slug")
    assert slug_of("Über Zelte & Co.", ()) == "ber-zelte-co"


def test_html_is_sanitised_scripts_handlers_and_script_links_removed_and_tags_closed() -> None:
    dirty = ('<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x()">a</a>'
             '<a href="https://shop.test/x" title="t">b</a><iframe src="https://x"></iframe>'
             '<img src="/i.png" alt="tent" onerror="x()"><ul><li>one')
    assert sanitize_html(dirty) == (
        '<p>Hi <a>a</a><a href="https://shop.test/x" title="t">b</a>'
        '<img src="/i.png" alt="tent"><ul><li>one</li></ul></p>')


def test_post_settings_default_to_the_offline_writer_and_name_a_bad_field() -> None:
    assert check_post_settings({}).ai_provider == "template"
    with pytest.raises(InvalidCommandError, match="ai_provider"):
        check_post_settings({"ai_provider": "nope"})
    with pytest.raises(InvalidCommandError, match=r"ai_settings\.length"):
        check_post_settings({"length": "epic"})
    with pytest.raises(InvalidCommandError, match="template writer"):
        check_post_settings({"language": "de"})
    assert check_post_settings({"ai_provider": "anthropic", "language": "de"}).language == "de"

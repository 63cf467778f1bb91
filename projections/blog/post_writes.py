"""The blog posts part of BlogBoard: `rm_blog.blog_posts` (one row per live post) and
`rm_blog.blog_post_versions` (each text a post has had). Plain writes from the events alone,
so a rebuild gives the same rows."""

import json

from domain.blog import events as e
from domain.log import RecordedEvent
from projections.writes import Writes

POST_EVENTS = (e.BlogPostCreated, e.BlogPostGenerationStarted, e.BlogPostGenerated,
               e.BlogPostGenerationFailed, e.BlogPostChanged, e.BlogPostDeleted,
               e.BlogPostPublished, e.BlogPostUnpublished, e.BlogPostScheduled,
               e.BlogPostUnscheduled, e.BlogPostPublishFailed)

_CREATED = (
    "INSERT INTO blog_posts (id, org_id, project_id, status, post_type, topic, wp_category_ids,"
    " source_item_ids, ai_settings, template_id, job_id, created_at, updated_at)"
    " VALUES (%s, %s, %s, 'generating', %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s, %s, %s)"
    " ON CONFLICT (id) DO NOTHING"
)
_STARTED = ("UPDATE blog_posts SET status = 'generating', job_id = %s, generation_error = NULL,"
            " updated_at = %s WHERE id = %s")
_GENERATED = (
    "UPDATE blog_posts SET title = %s, content = %s, excerpt = %s, slug = %s,"
    " seo_meta = %s::jsonb, product_links = %s::jsonb, provider = %s, model = %s,"
    " confidence_score = %s, issues = %s::jsonb, status = 'draft', generation_error = NULL,"
    " updated_at = %s WHERE id = %s"
)
_FAILED = ("UPDATE blog_posts SET status = 'generation_failed', generation_error = %s,"
           " updated_at = %s WHERE id = %s")
_CHANGED = (
    "UPDATE blog_posts SET title = %s, content = %s, excerpt = %s, slug = %s, status = %s,"
    " topic = %s, featured_image_url = %s, seo_meta = %s::jsonb, wp_category_ids = %s::jsonb,"
    " source_item_ids = %s::jsonb, product_links = %s::jsonb, updated_at = %s WHERE id = %s"
)
_VERSION = (
    "INSERT INTO blog_post_versions (post_id, version, org_id, title, content, excerpt, seo_meta,"
    " source, job_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)"
    " ON CONFLICT (post_id, version) DO NOTHING"
)
_PUBLISHED = (
    "UPDATE blog_posts SET status = 'published', connection_id = %s, wp_post_id = %s,"
    " published_url = %s, wp_status = %s, published_at = %s, publish_error = NULL,"
    " updated_at = %s WHERE id = %s"
)
_UNPUBLISHED = ("UPDATE blog_posts SET status = 'draft', wp_status = 'draft', updated_at = %s"
                " WHERE id = %s")
_SCHEDULED = (
    "UPDATE blog_posts SET status = 'scheduled', scheduled_at = %s, schedule_connection_id = %s,"
    " schedule_wp_status = %s, publish_error = NULL, updated_at = %s WHERE id = %s"
)
_UNSCHEDULED = (
    "UPDATE blog_posts SET status = 'draft', scheduled_at = NULL, schedule_connection_id = NULL,"
    " schedule_wp_status = NULL, updated_at = %s WHERE id = %s"
)
_PUBLISH_FAILED = ("UPDATE blog_posts SET publish_error = %s::jsonb,"
                   " status = CASE WHEN %s THEN 'publish_failed' ELSE status END,"
                   " updated_at = %s WHERE id = %s")


def apply_post_event(writes: Writes, record: RecordedEvent) -> None:
    event, key = record.event, record.aggregate_id
    at = event.occurred_at
    match event:
        case e.BlogPostCreated():
            writes.add(_CREATED, (key, event.org_id, event.project_id, event.post_type,
                                  event.post_topic, json.dumps(list(event.wp_category_ids)),
                                  json.dumps(list(event.source_item_ids)),
                                  json.dumps(event.ai_settings), event.template_id,
                                  event.job_id, at, at))
        case e.BlogPostGenerationStarted():
            writes.add(_STARTED, (event.job_id, at, key))
        case e.BlogPostGenerated():
            writes.add(_GENERATED, (event.title, event.content, event.excerpt, event.slug,
                                    json.dumps(event.seo_meta), json.dumps(event.product_links),
                                    event.provider, event.model, event.confidence_score,
                                    json.dumps(list(event.issues)), at, key))
            writes.add(_VERSION, (key, event.content_version, event.org_id, event.title,
                                  event.content, event.excerpt, json.dumps(event.seo_meta),
                                  "generated", event.job_id, at))
        case e.BlogPostGenerationFailed():
            writes.add(_FAILED, (event.reason, at, key))
        case e.BlogPostChanged():
            writes.add(_CHANGED, (event.title, event.content, event.excerpt, event.slug,
                                  event.status, event.post_topic, event.featured_image_url,
                                  json.dumps(event.seo_meta),
                                  json.dumps(list(event.wp_category_ids)),
                                  json.dumps(list(event.source_item_ids)),
                                  json.dumps(event.product_links), at, key))
            if event.content_version:
                writes.add(_VERSION, (key, event.content_version, event.org_id, event.title,
                                      event.content, event.excerpt, json.dumps(event.seo_meta),
                                      "edited", None, at))
        case e.BlogPostDeleted():
            writes.add("DELETE FROM blog_post_versions WHERE post_id = %s", (key,))
            writes.add("DELETE FROM blog_posts WHERE id = %s", (key,))
        case e.BlogPostPublished():
            writes.add(_PUBLISHED, (event.connection_id, event.wp_post_id, event.published_url,
                                    event.wp_status, event.published_at, at, key))
        case e.BlogPostUnpublished():
            writes.add(_UNPUBLISHED, (at, key))
        case e.BlogPostScheduled():
            writes.add(_SCHEDULED, (event.scheduled_at, event.connection_id, event.wp_status,
                                    at, key))
        case e.BlogPostUnscheduled():
            writes.add(_UNSCHEDULED, (at, key))
        case e.BlogPostPublishFailed():
            writes.add(_PUBLISH_FAILED, (json.dumps({
                "reason": event.reason, "attempts": event.attempts, "at": at.isoformat(),
                "retry_at": event.retry_at.isoformat() if event.retry_at else None,
                "gave_up": event.gave_up}), event.gave_up, at, key))
        case _:
            pass

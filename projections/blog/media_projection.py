"""BlogMedia — why: an organization's stock-photo keys and the images of its blog posts as
the API shows them; how: `rm_blog_media.stock_photo_keys` and `rm_blog_media.blog_post_images`,
keyed by the aggregate id, with the organization beside (a schema of its own, so that it is
rebuilt on its own); when: async (projector). Queries: `projections.blog.media_queries`."""

from domain.blog import media_events as e
from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import Writes

SCHEMA = "rm_blog_media"

_KEY = (
    "INSERT INTO stock_photo_keys (id, org_id, provider, key_fingerprint, is_active,"
    " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
)
_KEY_CHANGE = ("UPDATE stock_photo_keys SET key_fingerprint = %s, is_active = %s,"
               " updated_at = %s WHERE id = %s")
_IMAGE = (
    "INSERT INTO blog_post_images (id, org_id, project_id, post_id, source, file_key,"
    " file_size, mime, width, height, alt_text, original_url, attribution, created_at,"
    " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (id) DO NOTHING"
)


class BlogMedia(Projection):
    name = "blog_media"
    schema = SCHEMA
    topics = frozenset(cls.topic() for cls in (
        e.StockPhotoKeyAdded, e.StockPhotoKeyChanged, e.StockPhotoKeyDeleted,
        e.PostImageAdded, e.PostImageRemoved))

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, key = record.event, record.aggregate_id
        match event:
            case e.StockPhotoKeyAdded():
                writes.add(_KEY, (key, event.org_id, event.provider, event.key_fingerprint,
                                  event.is_active, event.occurred_at, event.occurred_at))
            case e.StockPhotoKeyChanged():
                writes.add(_KEY_CHANGE, (event.key_fingerprint, event.is_active,
                                         event.occurred_at, key))
            case e.StockPhotoKeyDeleted():
                writes.add("DELETE FROM stock_photo_keys WHERE id = %s", (key,))
            case e.PostImageAdded():
                writes.add(_IMAGE, (key, event.org_id, event.project_id, event.post_id,
                                    event.source, event.file_key, event.file_size, event.mime,
                                    event.width, event.height, event.alt_text,
                                    event.original_url, event.attribution, event.occurred_at,
                                    event.occurred_at))
            case e.PostImageRemoved():
                writes.add("DELETE FROM blog_post_images WHERE id = %s", (key,))
            case _:
                pass

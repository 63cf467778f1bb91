"""What happens to an organization's blog media: its stock-photo provider keys (the key
itself is sealed beside the events; here only its keyed fingerprint) and the images
attached to its blog posts (the file is in the file store; here its key and what it is)."""

from uuid import UUID

from domain.blog.events import BlogEvent


class StockPhotoKeyAdded(BlogEvent):
    provider: str
    key_fingerprint: str
    is_active: bool


class StockPhotoKeyChanged(BlogEvent):
    """The whole key after a change."""

    key_fingerprint: str
    is_active: bool


class StockPhotoKeyDeleted(BlogEvent):
    pass


class PostImageAdded(BlogEvent):
    project_id: UUID
    post_id: UUID
    source: str
    """stock, upload or ai."""
    file_key: str
    file_size: int
    mime: str
    width: int
    height: int
    alt_text: str
    original_url: str
    attribution: str
    """Who must be credited (a stock photo's photographer and provider); empty otherwise."""


class PostImageRemoved(BlogEvent):
    post_id: UUID
    file_key: str

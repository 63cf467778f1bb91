"""What happens in the blog context: an organization's WordPress connections and its blog
templates. A connection's application password is never in an event: only its keyed
fingerprint (the sealed password is kept beside the events)."""

from typing import Any

from domain.events import DomainEvent


class BlogEvent(DomainEvent):
    """The base of every blog event: its topic in the log is `blog.<ClassName>`."""

    context = "blog"


class BlogConnectionCreated(BlogEvent):
    name: str
    site_url: str
    username: str
    password_fingerprint: str


class BlogConnectionChanged(BlogEvent):
    """The whole connection after a change."""

    name: str
    site_url: str
    username: str
    password_fingerprint: str
    is_active: bool


class BlogConnectionDeleted(BlogEvent):
    pass


class BlogCategoriesCached(BlogEvent):
    """The site's categories as last fetched."""

    categories: tuple[dict[str, Any], ...]


class BlogTemplateCreated(BlogEvent):
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool


class BlogTemplateChanged(BlogEvent):
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool


class BlogTemplateDeleted(BlogEvent):
    pass

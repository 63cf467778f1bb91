"""What happens in the search context: documents of the page index, saved queries, product
segments and external product feeds. Texts and vectors are never in an event beyond what the
context must keep; vectors are derived data."""

from typing import Any

from domain.events import DomainEvent


class SearchEvent(DomainEvent):
    """The base of every search event: its topic in the log is `search.<ClassName>`."""

    context = "search"


# --- page index ---------------------------------------------------------------------------


class PageCreated(SearchEvent):
    """A page pushed to the index. `content` is bounded (`domain.search.page.MAX_CONTENT_BYTES`);
    `content_hash` is the sha256 of it, hex."""

    page_id: str
    url: str
    title: str
    content: str
    content_hash: str
    metadata: dict[str, Any]


class PageContentUpdated(SearchEvent):
    """The page's content changed (it is embedded again); title and metadata as now."""

    page_id: str
    url: str
    title: str
    content: str
    content_hash: str
    metadata: dict[str, Any]


class PageMetadataUpdated(SearchEvent):
    """Title or metadata changed, the content did not (no new embedding)."""

    page_id: str
    title: str
    metadata: dict[str, Any]


class PageDeleted(SearchEvent):
    page_id: str
    url: str

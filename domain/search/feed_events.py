"""Events of external product feeds. A sync records what changed in the feed's products
(their facts as the feed gave them, cut into batches well below one message of the event
stream); the index rows and their vectors are derived from these, never stored in them."""

from uuid import UUID

from domain.search.events import SearchEvent
from domain.search.feed_products import FeedProduct


class FeedCreated(SearchEvent):
    """The organization's feed `number`: where it is, its format and its `field_map`
    (source field → canonical field)."""

    number: int
    name: str
    url: str
    format: str
    field_map: dict[str, str]


class FeedChanged(SearchEvent):
    """Its name, URL, format or field map as now (its products change at the next sync)."""

    number: int
    name: str
    url: str
    format: str
    field_map: dict[str, str]


class FeedDeleted(SearchEvent):
    """The feed and its products are gone (from search too)."""

    number: int


class FeedProductsUpserted(SearchEvent):
    """Products new to the feed or whose facts changed since the last sync."""

    number: int
    products: tuple[FeedProduct, ...]


class FeedProductsRemoved(SearchEvent):
    """Products (by SKU) that the feed no longer lists."""

    number: int
    skus: tuple[str, ...]


class FeedSynced(SearchEvent):
    """A sync (job `job_id`) finished: the feed's products are those it read."""

    number: int
    job_id: UUID
    total: int
    added: int
    changed: int
    removed: int
    unchanged: int
    skipped: int


class FeedSyncFailed(SearchEvent):
    """A sync could not read the feed (refused URL, timeout, broken document); the products
    of the last good sync stay."""

    number: int
    job_id: UUID
    reason: str


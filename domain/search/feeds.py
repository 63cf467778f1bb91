"""An external product feed: a URL the organization's products are read from (JSON or XML,
mapped by `field_map`), and the products its last good sync read. A sync compares what it
read with what the feed held (by SKU, and a fingerprint of each product's facts) and records
only the difference: new and changed products, and the SKUs the feed no longer lists."""

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlsplit
from uuid import UUID, uuid5

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.search.feed_events import (
    FeedChanged,
    FeedCreated,
    FeedDeleted,
    FeedProductsRemoved,
    FeedProductsUpserted,
    FeedSynced,
    FeedSyncFailed,
)
from domain.search.feed_products import FeedProduct, check_field_map

T = TypeVar("T")
FEED_KIND = "feed"
FORMATS = ("json", "xml")
MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_FIELD_MAP = 100
MAX_SOURCE_FIELD_LENGTH = 200
MAX_REASON_LENGTH = 1000
MAX_BATCH_CHARACTERS = 120_000
"""Characters of product text per event, so that one stays well below a message of the
event stream (1 MB) whatever the products' text (as `domain.catalog.import_batch`)."""


def feed_product_id(feed_id: UUID, sku: str) -> UUID:
    """The id of a feed's product in the index (stable across syncs)."""
    return uuid5(feed_id, f"product:{sku}")


def check_feed_name(name: str) -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


def check_feed_url(url: str) -> str:
    """An http(s) URL with a host and without credentials (they would be kept in the log);
    whether its host may be reached is checked on every fetch."""
    cleaned = url.strip()
    if not 1 <= len(cleaned) <= MAX_URL_LENGTH:
        raise InvalidCommandError(f"url must be 1 to {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(cleaned)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise InvalidCommandError("url is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidCommandError("url must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidCommandError("url must not hold a user name or password")
    return cleaned


def check_format(feed_format: str) -> str:
    if feed_format not in FORMATS:
        raise InvalidCommandError(f"format must be one of: {', '.join(FORMATS)}")
    return feed_format


def check_map(field_map: Mapping[str, str]) -> dict[str, str]:
    if len(field_map) > MAX_FIELD_MAP:
        raise InvalidCommandError(f"field_map may hold at most {MAX_FIELD_MAP} fields")
    if any(not 1 <= len(source) <= MAX_SOURCE_FIELD_LENGTH for source in field_map):
        raise InvalidCommandError(
            f"field_map: each source field must be 1 to {MAX_SOURCE_FIELD_LENGTH} characters")
    return check_field_map(field_map)


def fingerprint(product: FeedProduct) -> str:
    """Equal for equal facts (any change of a field, price included, changes it)."""
    return hashlib.sha256(repr(dataclasses.astuple(product)).encode()).hexdigest()[:32]


def product_size(product: FeedProduct) -> int:
    return 100 + sum(len(str(v)) for v in dataclasses.astuple(product) if v is not None)


def cut_into_batches(items: Iterable[T], size_of: Callable[[T], int]) -> list[list[T]]:
    """`items` in order, in batches of at most MAX_BATCH_CHARACTERS (at least one each)."""
    batches: list[list[T]] = []
    used = MAX_BATCH_CHARACTERS
    for item in items:
        size = size_of(item)
        if used + size > MAX_BATCH_CHARACTERS:
            batches.append([])
            used = 0
        batches[-1].append(item)
        used += size
    return batches


@dataclasses.dataclass(frozen=True, kw_only=True)
class SyncDiff:
    """What a sync changes: the products to write (new and changed), the SKUs to remove."""

    upserts: tuple[FeedProduct, ...] = ()
    added: int = 0
    changed: int = 0
    removed: tuple[str, ...] = ()
    unchanged: int = 0


def diff_products(held: Mapping[str, str], products: Sequence[FeedProduct]) -> SyncDiff:
    """`products` (one per SKU) against `held` (SKU → fingerprint of the last sync)."""
    new = [p for p in products if p.sku not in held]
    changed = [p for p in products if p.sku in held and held[p.sku] != fingerprint(p)]
    listed = {p.sku for p in products}
    return SyncDiff(upserts=(*new, *changed), added=len(new), changed=len(changed),
                    removed=tuple(sku for sku in held if sku not in listed),
                    unchanged=len(products) - len(new) - len(changed))


class Feed(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.name = ""
        self.url = ""
        self.format = ""
        self.field_map: dict[str, str] = {}
        self.live = False
        self.products: dict[str, str] = {}
        """SKU → fingerprint of the products the last good sync read."""

    def create(self, *, org_id: UUID, number: int, name: str, url: str, feed_format: str,
               field_map: Mapping[str, str]) -> None:
        self._record(FeedCreated(org_id=org_id, number=number, name=check_feed_name(name),
                                 url=check_feed_url(url), format=check_format(feed_format),
                                 field_map=check_map(field_map)))

    def change(self, org_id: UUID, *, name: str | None = None, url: str | None = None,
               feed_format: str | None = None,
               field_map: Mapping[str, str] | None = None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new = (self.name if name is None else check_feed_name(name),
               self.url if url is None else check_feed_url(url),
               self.format if feed_format is None else check_format(feed_format),
               self.field_map if field_map is None else check_map(field_map))
        if new == (self.name, self.url, self.format, self.field_map):
            return False
        self._record(FeedChanged(org_id=org_id, number=self.number, name=new[0], url=new[1],
                                 format=new[2], field_map=new[3]))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(FeedDeleted(org_id=org_id, number=self.number))

    def sync(self, org_id: UUID, *, job_id: UUID, products: Sequence[FeedProduct],
             skipped: int = 0) -> SyncDiff:
        """Record the difference between `products` (what the feed lists now, one per SKU)
        and what it held, then the sync itself."""
        self.check_is_live(org_id)
        diff = diff_products(self.products, products)
        for batch in cut_into_batches(diff.upserts, product_size):
            self._record(FeedProductsUpserted(org_id=org_id, number=self.number,
                                              products=tuple(batch)))
        for skus in cut_into_batches(diff.removed, lambda sku: len(sku) + 4):
            self._record(FeedProductsRemoved(org_id=org_id, number=self.number,
                                             skus=tuple(skus)))
        self._record(FeedSynced(
            org_id=org_id, number=self.number, job_id=job_id, total=len(products),
            added=diff.added, changed=diff.changed, removed=len(diff.removed),
            unchanged=diff.unchanged, skipped=skipped))
        return diff

    def fail_sync(self, org_id: UUID, *, job_id: UUID, reason: str) -> None:
        self.check_is_live(org_id)
        self._record(FeedSyncFailed(org_id=org_id, number=self.number, job_id=job_id,
                                    reason=(reason.strip() or "unknown error")[:MAX_REASON_LENGTH]))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("feed not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case FeedCreated() | FeedChanged():
                self.org_id, self.number, self.name = event.org_id, event.number, event.name
                self.url, self.format = event.url, event.format
                self.field_map, self.live = dict(event.field_map), True
            case FeedProductsUpserted(products=products):
                self.products.update((p.sku, fingerprint(p)) for p in products)
            case FeedProductsRemoved(skus=skus):
                for sku in skus:
                    self.products.pop(sku, None)
            case FeedDeleted():
                self.live, self.products = False, {}
            case _:
                pass

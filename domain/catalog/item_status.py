"""The statuses of a content item, the event that brings each, and what a reviewer may set."""

import enum
from collections.abc import Mapping
from types import MappingProxyType

from domain.catalog.events import (
    ContentGenerated,
    ItemApproved,
    ItemFlagged,
    ItemQueuedForRegeneration,
    ItemRejected,
    ItemSynced,
)
from domain.events import DomainEvent


class ItemStatus(enum.StrEnum):
    """pending → generated | flagged (generation) → approved | rejected (review) → synced."""

    PENDING = "pending"
    GENERATED = "generated"
    FLAGGED = "flagged"
    APPROVED = "approved"
    REJECTED = "rejected"
    SYNCED = "synced"


EXCLUDED = "excluded"
"""Not a status: an excluded item keeps its status and is counted as excluded only."""
STATUSES = tuple(status.value for status in ItemStatus)
STATUS_COUNT_KEYS = (*STATUSES, EXCLUDED)
"""The keys of a project's `status_counts`."""
REVIEW_STATUSES = (ItemStatus.APPROVED, ItemStatus.REJECTED, ItemStatus.FLAGGED,
                   ItemStatus.PENDING)
"""What a reviewer may set (pending: write it again at the next generation run)."""

REVIEW_EVENTS: Mapping[str, type[ItemApproved | ItemRejected | ItemFlagged]] = MappingProxyType({
    ItemStatus.APPROVED: ItemApproved, ItemStatus.REJECTED: ItemRejected,
    ItemStatus.FLAGGED: ItemFlagged,
})
"""The event a reviewer's status is recorded as (pending is a regeneration request)."""
STATUS_AFTER: Mapping[type[DomainEvent], ItemStatus] = MappingProxyType({
    **{event: ItemStatus(status) for status, event in REVIEW_EVENTS.items()},
    ItemQueuedForRegeneration: ItemStatus.PENDING, ItemSynced: ItemStatus.SYNCED,
})
"""The status each event that sets one brings the item to (`ContentGenerated` carries it)."""


def status_after(event: DomainEvent) -> ItemStatus | None:
    """The status the item has after `event`; None when the event leaves it as it was."""
    if isinstance(event, ContentGenerated):
        return ItemStatus(event.status)
    return STATUS_AFTER.get(type(event))


CONTENT_FIELDS = ("name", "short_description", "long_description", "meta_title",
                  "meta_description")

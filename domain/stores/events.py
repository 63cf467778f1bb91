"""What happens to store connections. No credential is ever in an event: only a keyed
fingerprint of them (the sealed credentials are written beside, in `secrets`)."""

from uuid import UUID

from domain.events import DomainEvent


class StoreEvent(DomainEvent):
    """The base of every store event: its topic in the log is `stores.<ClassName>`."""

    context = "stores"


class StoreConnectionCreated(StoreEvent):
    """A connection to the organization's store on `platform` at `base_url`;
    `credentials_fingerprint` is empty when none were given."""

    name: str
    platform: str
    base_url: str
    credentials_fingerprint: str


class StoreConnectionChanged(StoreEvent):
    """Its name, URL, credentials (by fingerprint) or status as now."""

    name: str
    base_url: str
    status: str
    credentials_fingerprint: str


class StoreConnectionTested(StoreEvent):
    """A live call to the store: `success` sets the status active, a failure error."""

    success: bool
    message: str
    store_name: str | None


class StoreConnectionLinked(StoreEvent):
    """A project now imports from and syncs to this store."""

    project_id: UUID


class StoreConnectionUnlinked(StoreEvent):
    """A project no longer uses this store."""

    project_id: UUID


class StoreConnectionAutoSyncSet(StoreEvent):
    """Auto-sync turned on or off: when on, an item approved in a linked project is written
    to the store by the auto-sync subscriber, without anyone asking."""

    auto_sync: bool


class StoreConnectionDeleted(StoreEvent):
    """The connection is gone (no project was linked to it)."""


class ItemSyncStarted(StoreEvent):
    """An attempt to write an item's content to its store begins (recorded before the
    write, so an attempt whose outcome is unknown shows)."""

    project_id: UUID
    item_id: UUID
    connection_id: UUID
    attempt_id: UUID


class ItemSyncFinished(StoreEvent):
    """How the attempt ended: the store's id of what it wrote, or why it failed."""

    project_id: UUID
    item_id: UUID
    connection_id: UUID
    attempt_id: UUID
    success: bool
    error: str | None
    store_reply_id: str | None

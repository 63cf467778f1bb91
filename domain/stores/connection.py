"""A store connection: where an organization's store is, on which platform, whether its
credentials are held (sealed, outside the log) and which projects use it."""

from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.stores.errors import ConnectionInUseError, PlatformMismatchError
from domain.stores.events import (
    StoreConnectionAutoSyncSet,
    StoreConnectionChanged,
    StoreConnectionCreated,
    StoreConnectionDeleted,
    StoreConnectionLinked,
    StoreConnectionTested,
    StoreConnectionUnlinked,
)

PLATFORMS = ("woocommerce", "shopify", "magento2")
"""As the catalog's (`domain.catalog.records.PLATFORMS`): a project links its own platform."""
STATUSES = ("pending", "active", "error", "inactive")
"""pending until a test; active or error after one; inactive when the user pauses it."""
MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_MESSAGE_LENGTH = 1000
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    "shopify": ("access_token",),
    "woocommerce": ("consumer_key", "consumer_secret"),
    "magento2": ("access_token",),
}
"""The credentials each platform takes, all of them required together."""


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


def check_platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise InvalidCommandError(f"platform must be one of: {', '.join(PLATFORMS)}")
    return platform


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise InvalidCommandError(f"status must be one of: {', '.join(STATUSES)}")
    return status


def check_base_url(url: str) -> str:
    """An http(s) URL with a host and without credentials (they belong in the sealed
    fields), without a trailing slash; whether its host may be reached is checked on every
    call."""
    cleaned = url.strip().rstrip("/")
    if not 1 <= len(cleaned) <= MAX_URL_LENGTH:
        raise InvalidCommandError(f"base_url must be 1 to {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(cleaned)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise InvalidCommandError("base_url is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidCommandError("base_url must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidCommandError("base_url must not hold a user name or password")
    if parts.query or parts.fragment:
        raise InvalidCommandError("base_url must not have a query or fragment")
    return cleaned


class StoreConnection(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.name = ""
        self.platform = ""
        self.base_url = ""
        self.status = "pending"
        self.credentials_fingerprint = ""
        self.live = False
        self.projects: list[UUID] = []
        self.last_connected_at: datetime | None = None
        self.auto_sync = False
        self.auto_sync_since: datetime | None = None
        """When auto-sync was last turned on: approvals before it are not synced for it."""

    def create(self, *, org_id: UUID, name: str, platform: str, base_url: str,
               credentials_fingerprint: str) -> None:
        if self.exists:
            raise InvalidCommandError("store connection already exists")
        self._record(StoreConnectionCreated(
            org_id=org_id, name=check_name(name), platform=check_platform(platform),
            base_url=check_base_url(base_url), credentials_fingerprint=credentials_fingerprint))

    def change(self, org_id: UUID, *, name: str | None = None, base_url: str | None = None,
               status: str | None = None, credentials_fingerprint: str | None = None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes. New
        credentials or a new URL make a tested connection pending again."""
        self.check_is_live(org_id)
        new_url = self.base_url if base_url is None else check_base_url(base_url)
        new_fingerprint = (self.credentials_fingerprint if credentials_fingerprint is None
                           else credentials_fingerprint)
        retest = (new_url, new_fingerprint) != (self.base_url, self.credentials_fingerprint)
        new_status = (check_status(status) if status is not None
                      else "pending" if retest and self.status != "inactive" else self.status)
        new = (self.name if name is None else check_name(name), new_url, new_status,
               new_fingerprint)
        if new == (self.name, self.base_url, self.status, self.credentials_fingerprint):
            return False
        self._record(StoreConnectionChanged(org_id=org_id, name=new[0], base_url=new[1],
                                            status=new[2], credentials_fingerprint=new[3]))
        return True

    def set_auto_sync(self, org_id: UUID, auto_sync: bool) -> bool:
        """False (nothing recorded) when it is already so."""
        self.check_is_live(org_id)
        if auto_sync == self.auto_sync:
            return False
        self._record(StoreConnectionAutoSyncSet(org_id=org_id, auto_sync=auto_sync))
        return True

    def syncs_approvals_of(self, project_id: UUID, approved_at: datetime) -> bool:
        """Whether an item of `project_id` approved at `approved_at` is auto-synced here."""
        return (self.live and self.auto_sync and project_id in self.projects
                and self.auto_sync_since is not None and approved_at >= self.auto_sync_since)

    def record_test(self, org_id: UUID, *, success: bool, message: str,
                    store_name: str | None) -> None:
        self.check_is_live(org_id)
        self._record(StoreConnectionTested(
            org_id=org_id, success=success, message=message.strip()[:MAX_MESSAGE_LENGTH],
            store_name=None if store_name is None else store_name[:MAX_NAME_LENGTH]))

    def link(self, org_id: UUID, project_id: UUID, platform: str) -> None:
        """NotFoundError for another organization's or a deleted connection;
        PlatformMismatchError for a project of another platform."""
        self.check_is_live(org_id)
        if platform != self.platform:
            raise PlatformMismatchError(
                f"store_connection_id: the connection is a {self.platform} store, the project"
                f" a {platform} one")
        if project_id not in self.projects:
            self._record(StoreConnectionLinked(org_id=org_id, project_id=project_id))

    def unlink(self, project_id: UUID) -> None:
        if self.live and self.org_id is not None and project_id in self.projects:
            self._record(StoreConnectionUnlinked(org_id=self.org_id, project_id=project_id))

    def delete(self, org_id: UUID, *, linked: list[UUID]) -> None:
        """`linked`: the projects (of `projects`) that still use it; ConnectionInUseError
        while there is one."""
        self.check_is_live(org_id)
        if linked:
            raise ConnectionInUseError(
                f"the store connection is linked to {len(linked)} project(s); unlink them first")
        self._record(StoreConnectionDeleted(org_id=org_id))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("store connection not found")

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_fingerprint)

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case StoreConnectionCreated():
                self.org_id, self.name, self.platform = event.org_id, event.name, event.platform
                self.base_url, self.live = event.base_url, True
                self.credentials_fingerprint = event.credentials_fingerprint
            case StoreConnectionChanged():
                self.name, self.base_url, self.status = event.name, event.base_url, event.status
                self.credentials_fingerprint = event.credentials_fingerprint
            case StoreConnectionTested(success=success):
                self.status = "active" if success else "error"
                if success:
                    self.last_connected_at = event.occurred_at
            case StoreConnectionLinked(project_id=project_id):
                self.projects.append(project_id)
            case StoreConnectionUnlinked(project_id=project_id):
                self.projects = [p for p in self.projects if p != project_id]
            case StoreConnectionAutoSyncSet(auto_sync=auto_sync):
                self.auto_sync = auto_sync
                self.auto_sync_since = event.occurred_at if auto_sync else None
            case StoreConnectionDeleted():
                self.live, self.projects = False, []
            case _:
                pass

"""A WordPress site an organization publishes to, reached with a user's Application
Password. The password itself is sealed outside the aggregate; here only its fingerprint,
so that a change of password is a change of the connection."""

from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from domain.aggregate import Aggregate
from domain.blog.events import (
    BlogCategoriesCached,
    BlogConnectionChanged,
    BlogConnectionCreated,
    BlogConnectionDeleted,
)
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent

MAX_NAME = 200
MAX_URL = 2000
MAX_USERNAME = 200
MAX_PASSWORD = 200
MAX_CATEGORIES = 5000


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= MAX_NAME:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME} characters")
    return cleaned


def check_site_url(url: str) -> str:
    """The site's base URL without a trailing slash, query or fragment."""
    parts = urlsplit(url.strip())
    if (parts.scheme not in ("http", "https") or not parts.hostname
            or len(url) > MAX_URL or parts.username or parts.password):
        raise InvalidCommandError("site_url must be an http:// or https:// URL with a host")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def check_username(username: str) -> str:
    cleaned = username.strip()
    if not 1 <= len(cleaned) <= MAX_USERNAME or ":" in cleaned:
        raise InvalidCommandError(f"username must be 1 to {MAX_USERNAME} characters, no ':'")
    return cleaned


def check_password(password: str) -> str:
    """An application password as WordPress shows it ("abcd efgh …"); spaces are ignored."""
    cleaned = "".join(password.split())
    if not 1 <= len(cleaned) <= MAX_PASSWORD:
        raise InvalidCommandError(f"app_password must be 1 to {MAX_PASSWORD} characters")
    return cleaned


class BlogConnection(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.name = ""
        self.site_url = ""
        self.username = ""
        self.password_fingerprint = ""
        self.is_active = True
        self.live = False

    def create(self, *, org_id: UUID, name: str, site_url: str, username: str,
               password_fingerprint: str) -> None:
        self._record(BlogConnectionCreated(
            org_id=org_id, name=check_name(name), site_url=check_site_url(site_url),
            username=check_username(username), password_fingerprint=password_fingerprint))

    def change(self, org_id: UUID, *, name: str | None, site_url: str | None,
               username: str | None, password_fingerprint: str | None,
               is_active: bool | None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new = (self.name if name is None else check_name(name),
               self.site_url if site_url is None else check_site_url(site_url),
               self.username if username is None else check_username(username),
               password_fingerprint or self.password_fingerprint,
               self.is_active if is_active is None else is_active)
        if new == (self.name, self.site_url, self.username, self.password_fingerprint,
                   self.is_active):
            return False
        self._record(BlogConnectionChanged(
            org_id=org_id, name=new[0], site_url=new[1], username=new[2],
            password_fingerprint=new[3], is_active=new[4]))
        return True

    def cache_categories(self, org_id: UUID, categories: tuple[dict[str, Any], ...]) -> None:
        self.check_is_live(org_id)
        self._record(BlogCategoriesCached(org_id=org_id,
                                          categories=categories[:MAX_CATEGORIES]))

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(BlogConnectionDeleted(org_id=org_id))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("blog connection not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case BlogConnectionCreated():
                self.org_id, self.name, self.site_url = event.org_id, event.name, event.site_url
                self.username = event.username
                self.password_fingerprint = event.password_fingerprint
                self.is_active, self.live = True, True
            case BlogConnectionChanged():
                self.name, self.site_url, self.username = (event.name, event.site_url,
                                                           event.username)
                self.password_fingerprint = event.password_fingerprint
                self.is_active = event.is_active
            case BlogConnectionDeleted():
                self.live = False
            case _:
                pass

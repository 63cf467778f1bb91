"""A page of an organization's page index: pushed by URL, found by its content. Its id is
24 hex digits derived from the organization and the URL, so pushing the same URL again finds
the same page. Upserting compares hashes: only changed content is embedded again, and an
upsert that changes nothing writes nothing."""

import enum
import hashlib
import json
import re
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import ForbiddenError, MalformedInputError, NotFoundError, TooLargeError
from domain.events import DomainEvent
from domain.search.events import PageContentUpdated, PageCreated, PageDeleted, PageMetadataUpdated

MAX_CONTENT_BYTES = 1 << 20
"""The content travels in the page's events; beyond this it is refused."""
MAX_URL_CHARS = 2048
MAX_TITLE_CHARS = 1000
MAX_METADATA_BYTES = 64 * 1024
PAGE_ID = re.compile(r"[0-9a-f]{24}")


class Action(enum.StrEnum):
    CREATED = "created"
    UPDATED_CONTENT = "updated_content"
    UPDATED_METADATA = "updated_metadata"
    UNCHANGED = "unchanged"


def page_id_of(org_id: UUID, url: str) -> str:
    return hashlib.sha256(f"{org_id}\n{url}".encode()).hexdigest()[:24]


def aggregate_id(page_id: str) -> UUID:
    """The page's aggregate id (its 24 hex digits, padded)."""
    return UUID(hex=page_id + "0" * 8)


def check_page_id(value: object) -> str:
    if not isinstance(value, str) or not PAGE_ID.fullmatch(value.lower()):
        raise MalformedInputError("pageId must be 24 hexadecimal digits")
    return value.lower()


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def metadata_hash(title: str, metadata: dict[str, Any]) -> str:
    canonical = json.dumps([title, metadata], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_page(url: object, content: object, title: object,
               metadata: object) -> tuple[str, str, str, dict[str, Any]]:
    """The page's fields, checked; MalformedInputError / TooLargeError naming the field."""
    if not isinstance(url, str) or not url.strip():
        raise MalformedInputError("'url' is required and must be a non-empty string")
    if len(url) > MAX_URL_CHARS:
        raise MalformedInputError(f"'url' is longer than {MAX_URL_CHARS} characters")
    if not isinstance(content, str) or not content.strip():
        raise MalformedInputError("'content' is required and must be a non-empty string")
    if len(content.encode()) > MAX_CONTENT_BYTES:
        raise TooLargeError(f"'content' is larger than {MAX_CONTENT_BYTES // 1024} KB")
    if title is None:
        title = ""
    if not isinstance(title, str) or len(title) > MAX_TITLE_CHARS:
        raise MalformedInputError(f"'title' must be a string of at most {MAX_TITLE_CHARS}"
                                  " characters")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise MalformedInputError("'metadata' must be a JSON object")
    if len(json.dumps(metadata)) > MAX_METADATA_BYTES:
        raise TooLargeError(f"'metadata' is larger than {MAX_METADATA_BYTES // 1024} KB")
    return url.strip(), content, title.strip(), metadata


class Page(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.page_id = ""
        self.url = ""
        self.live = False
        self.content_hash = ""
        self.metadata_hash = ""

    def upsert(self, *, org_id: UUID, url: str, content: str, title: str,
               metadata: dict[str, Any]) -> Action:
        """Record what changed (nothing when nothing did) and say which it was."""
        if self.org_id is not None and self.org_id != org_id:
            raise ForbiddenError("the page belongs to another organization")
        page_id = page_id_of(org_id, url)
        digest = content_hash(content)
        if not self.live:
            self._record(PageCreated(org_id=org_id, page_id=page_id, url=url, title=title,
                                     content=content, content_hash=digest, metadata=metadata))
            return Action.CREATED
        if digest != self.content_hash:
            self._record(PageContentUpdated(org_id=org_id, page_id=page_id, url=url, title=title,
                                            content=content, content_hash=digest,
                                            metadata=metadata))
            return Action.UPDATED_CONTENT
        if metadata_hash(title, metadata) != self.metadata_hash:
            self._record(PageMetadataUpdated(org_id=org_id, page_id=page_id, title=title,
                                             metadata=metadata))
            return Action.UPDATED_METADATA
        return Action.UNCHANGED

    def delete(self, org_id: UUID) -> None:
        if not self.live:
            raise NotFoundError("page not found")
        if self.org_id != org_id:
            raise ForbiddenError("the page does not belong to this organization")
        self._record(PageDeleted(org_id=org_id, page_id=self.page_id, url=self.url))

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case PageCreated() | PageContentUpdated():
                self.org_id, self.page_id, self.url = event.org_id, event.page_id, event.url
                self.live = True
                self.content_hash = event.content_hash
                self.metadata_hash = metadata_hash(event.title, event.metadata)
            case PageMetadataUpdated():
                self.metadata_hash = metadata_hash(event.title, event.metadata)
            case PageDeleted():
                self.live = False
                self.content_hash = self.metadata_hash = ""
            case _:
                pass

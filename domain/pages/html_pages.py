"""HTML pages: a page of the organization's own HTML, every change of the HTML a new
version, served to anyone at `/p/<slug>` while published. Slugs are unique across every
organization (the public path names no organization): a claim per slug keeps them so.
Numbered per organization (the integer ids the API shows)."""

import re
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError, TooLargeError
from domain.events import DomainEvent
from domain.pages.events import (
    HtmlPageChanged,
    HtmlPageCreated,
    HtmlPageDeleted,
    HtmlPagePreviewImageSet,
)
from domain.pages.preview_images import FILE_NAME
from domain.pages.templates import check_description, check_name

HTML_PAGE_KIND = "html-page"
SLUG_CLAIM = "html-page-slug"
MAX_DESCRIPTION = 500
MAX_HTML_BYTES = 512 * 1024
MAX_SLUG = 100
STORAGE_MODES = ("page", "solo_app", "team_app", "social_app")
FEATURES = ("page_api_ai_enabled", "page_api_image_gen_enabled",
            "page_api_image_search_enabled", "page_api_image_recognition_enabled",
            "page_api_spawn_enabled")


def format_slug(text: str) -> str:
    """Lower case, spaces and underscores to hyphens, anything else but letters, digits and
    hyphens removed; at least 2 characters, starting and ending with a letter or digit."""
    slug = re.sub(r"[\s_]+", "-", text.strip().lower())
    slug = re.sub(r"[^a-z0-9-]", "", slug)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")[:MAX_SLUG].strip("-")
    if len(slug) < 2:
        raise InvalidCommandError(
            "slug must have at least 2 letters or digits (it is made lower case, spaces become"
            " hyphens, other characters are removed)")
    return slug


def check_html(html: str) -> str:
    if not html.strip():
        raise InvalidCommandError("html_content must not be empty")
    if len(html.encode()) > MAX_HTML_BYTES:
        raise TooLargeError(f"html_content is larger than {MAX_HTML_BYTES // 1024} KB")
    return html


def check_storage_mode(mode: str) -> str:
    if mode not in STORAGE_MODES:
        raise InvalidCommandError(f"storage_mode must be one of {', '.join(STORAGE_MODES)}")
    return mode


class HtmlPage(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.name = ""
        self.slug = ""
        self.description = ""
        self.html_content = ""
        self.storage_mode = "page"
        self.features: dict[str, bool] = dict.fromkeys(FEATURES, False)
        self.is_published = True
        self.html_version = 0
        self.live = False

    def create(self, *, org_id: UUID, number: int, name: str, slug: str, description: str,
               html_content: str, storage_mode: str, features: dict[str, bool],
               is_published: bool) -> None:
        self._record(HtmlPageCreated(
            org_id=org_id, number=number, name=check_name(name), slug=slug,
            description=check_description(description, MAX_DESCRIPTION),
            html_content=check_html(html_content),
            storage_mode=check_storage_mode(storage_mode),
            features={**dict.fromkeys(FEATURES, False), **features},
            is_published=is_published))

    def change(self, org_id: UUID, **given: Any) -> bool:
        """Apply the fields given (`name`, `slug`, `description`, `html_content`,
        `storage_mode`, `is_published`, and the feature flags); a new version when the HTML
        changes. False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new: dict[str, Any] = {
            "name": check_name(given["name"]) if given.get("name") is not None else self.name,
            "slug": given.get("slug") or self.slug,
            "description": (check_description(given["description"], MAX_DESCRIPTION)
                            if given.get("description") is not None else self.description),
            "html_content": (check_html(given["html_content"])
                             if given.get("html_content") is not None else self.html_content),
            "storage_mode": (check_storage_mode(given["storage_mode"])
                             if given.get("storage_mode") is not None else self.storage_mode),
            "is_published": (given["is_published"] if given.get("is_published") is not None
                             else self.is_published),
            "features": {name: (given[name] if given.get(name) is not None else value)
                         for name, value in self.features.items()},
        }
        old = {name: getattr(self, name) for name in new}
        if new == old:
            return False
        version = self.html_version + (new["html_content"] != self.html_content)
        self._record(HtmlPageChanged(org_id=org_id, number=self.number, html_version=version,
                                    **new))
        return True

    def set_preview_image(self, org_id: UUID, file_name: str, made_by: str) -> None:
        self.check_is_live(org_id)
        if not FILE_NAME.fullmatch(file_name):
            raise InvalidCommandError(f"not a preview image file name: {file_name!r}")
        self._record(HtmlPagePreviewImageSet(org_id=org_id, number=self.number,
                                            file_name=file_name, made_by=made_by))

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(HtmlPageDeleted(org_id=org_id, number=self.number, slug=self.slug))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("page not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case HtmlPageCreated() | HtmlPageChanged():
                self.org_id, self.number, self.name = event.org_id, event.number, event.name
                self.slug, self.description = event.slug, event.description
                self.html_content, self.storage_mode = event.html_content, event.storage_mode
                self.features, self.is_published = dict(event.features), event.is_published
                self.html_version = (event.html_version if isinstance(event, HtmlPageChanged)
                                     else 1)
                self.live = True
            case HtmlPageDeleted():
                self.live = False
            case _:
                pass

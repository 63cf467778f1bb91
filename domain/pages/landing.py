"""Landing pages: an organization's generated pages, numbered per organization, each with a
slug unique in the organization, and the directory that keeps the slugs and the page limit.

The directory (one per organization) is the one place that knows which slugs are taken and
how many pages are live, so two pages created at once can neither share a slug nor pass the
limit: both write the directory's stream and only one wins the version.
"""

import re
from collections.abc import Iterable
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.errors import ConflictError, ForbiddenError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.pages.builder import ACTORS, Applied, BlockOperation
from domain.pages.events import (
    LandingPageBlocksEdited,
    LandingPageChanged,
    LandingPageCreated,
    LandingPageDeleted,
    LandingPageGenerated,
    PageSlugClaimed,
    PageSlugReleased,
)

PAGE_KIND = "landing-page"
MAX_SLUG = 100
MAX_TITLE = 200
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PAGE_LIMITS: dict[str, int | None] = {"free": 3, "starter": 25, "professional": 250,
                                      "enterprise": None}
"""Live pages an organization may have, by subscription tier (None: no limit); the
organization's `page_limit` setting overrides it."""
DIRECTORY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:page-directory")


def page_directory_id(org_id: UUID) -> UUID:
    return uuid5(DIRECTORY_NAMESPACE, str(org_id))


def check_slug(slug: str) -> str:
    if len(slug) > MAX_SLUG or not _SLUG.fullmatch(slug):
        raise InvalidCommandError(
            f"slug must be lower-case letters and digits in words joined by hyphens, at most"
            f" {MAX_SLUG} characters")
    return slug


def bulk_slot_id(org_id: UUID) -> UUID:
    """The job slot of the organization's bulk generations (one runs at a time)."""
    return uuid5(DIRECTORY_NAMESPACE, f"bulk:{org_id}")


def free_slug(text: str, taken: Iterable[str]) -> str:
    """A slug made of `text` (ASCII letters and digits in words), with `-2`, `-3`, … when
    that one is taken."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = "-".join(words)[:MAX_SLUG - 4].strip("-") or "page"
    used = set(taken)
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not 1 <= len(cleaned) <= MAX_TITLE:
        raise InvalidCommandError(f"title must be 1 to {MAX_TITLE} characters")
    return cleaned


def page_limit(tier: str, settings: dict[str, object]) -> int | None:
    """The organization's limit: its `page_limit` setting when it is a whole number ≥ 0,
    else its tier's."""
    override = settings.get("page_limit")
    if isinstance(override, int) and not isinstance(override, bool) and override >= 0:
        return override
    return PAGE_LIMITS.get(tier, PAGE_LIMITS["free"])


class PageDirectory(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.slugs: dict[str, int] = {}

    def claim(self, org_id: UUID, number: int, slug: str, limit: int | None) -> None:
        """Give `slug` to page `number` (a new page when it holds none yet); 409 when another
        page has it, 403 when a new page would pass `limit`."""
        owner = self.slugs.get(slug)
        if owner == number:
            return
        if owner is not None:
            raise ConflictError(f"the slug {slug!r} is taken by another page")
        is_new = number not in self.slugs.values()
        if is_new and limit is not None and len(self.slugs) >= limit:
            raise ForbiddenError(f"page limit reached: this organization may have {limit}"
                                 " pages (delete one, or change the subscription)")
        for old, holder in list(self.slugs.items()):
            if holder == number:
                self._record(PageSlugReleased(org_id=org_id, number=number, slug=old))
        self._record(PageSlugClaimed(org_id=org_id, number=number, slug=slug))

    def check_within(self, limit: int | None) -> None:
        """403 while the organization has more live pages than `limit` (its tier went down
        or its setting was lowered): the builder works again once pages are deleted."""
        if limit is not None and len(self.slugs) > limit:
            raise ForbiddenError(f"page limit reached: this organization has {len(self.slugs)}"
                                 f" pages and may have {limit} (delete some, or change the"
                                 " subscription)")

    def release(self, org_id: UUID, number: int) -> None:
        for slug, holder in list(self.slugs.items()):
            if holder == number:
                self._record(PageSlugReleased(org_id=org_id, number=number, slug=slug))

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case PageSlugClaimed(number=number, slug=slug):
                self.slugs[slug] = number
            case PageSlugReleased(slug=slug):
                self.slugs.pop(slug, None)
            case _:
                pass


class LandingPage(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.slug = ""
        self.title = ""
        self.query: int | None = None
        self.published = False
        self.live = False
        self.blocks: tuple[dict[str, Any], ...] = ()

    def create(self, *, org_id: UUID, number: int, slug: str, title: str, query: int | None,
               published: bool) -> None:
        self._record(LandingPageCreated(org_id=org_id, number=number, slug=check_slug(slug),
                                        title=check_title(title), query=query,
                                        published=published))

    def change(self, org_id: UUID, *, slug: str | None, title: str | None,
               published: bool | None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new = (self.slug if slug is None else check_slug(slug),
               self.title if title is None else check_title(title),
               self.published if published is None else published)
        if new == (self.slug, self.title, self.published):
            return False
        self._record(LandingPageChanged(org_id=org_id, number=self.number, slug=new[0],
                                        title=new[1], published=new[2]))
        return True

    def record_generation(self, org_id: UUID, intro_copy: str, product_skus: tuple[str, ...],
                          blocks: tuple[dict[str, Any], ...]) -> None:
        self.check_is_live(org_id)
        self._record(LandingPageGenerated(org_id=org_id, number=self.number,
                                          intro_copy=intro_copy, product_skus=product_skus,
                                          blocks=blocks))

    def edit_blocks(self, org_id: UUID, op: BlockOperation, applied: Applied, *, actor: str,
                    user_id: UUID | None) -> None:
        """Record one builder operation (`applied`: `op` applied to this page's blocks, its
        result checked against the block schemas by the caller)."""
        self.check_is_live(org_id)
        if actor not in ACTORS:
            raise InvalidCommandError(f"actor must be one of {', '.join(ACTORS)}")
        self._record(LandingPageBlocksEdited(
            org_id=org_id, number=self.number, operation=op.operation, block_id=applied.block_id,
            block=applied.block, position=applied.position, blocks=applied.blocks, actor=actor,
            user_id=user_id))

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(LandingPageDeleted(org_id=org_id, number=self.number))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("page not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case LandingPageCreated():
                self.org_id, self.number, self.query = event.org_id, event.number, event.query
                self.slug, self.title, self.published = event.slug, event.title, event.published
                self.live = True
            case LandingPageChanged():
                self.slug, self.title, self.published = event.slug, event.title, event.published
            case LandingPageGenerated() | LandingPageBlocksEdited():
                self.blocks = tuple(event.blocks)
            case LandingPageDeleted():
                self.live = False
            case _:
                pass

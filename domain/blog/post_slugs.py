"""The slugs of a project's blog posts: one directory aggregate per project, so that two
posts never hold one slug (the store lets one of two concurrent claims win)."""

import re
from collections.abc import Iterable
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.blog.events import BlogSlugClaimed, BlogSlugReleased
from domain.errors import ConflictError, InvalidCommandError
from domain.events import DomainEvent

MAX_SLUG = 200
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:blog-slugs")


def slug_directory_id(org_id: UUID, project_id: UUID) -> UUID:
    return uuid5(_NAMESPACE, f"{org_id}:{project_id}")


def check_slug(slug: str) -> str:
    if len(slug) > MAX_SLUG or not _SLUG.fullmatch(slug):
        raise InvalidCommandError(
            f"slug must be lower-case letters and digits in words joined by hyphens, at most"
            f" {MAX_SLUG} characters")
    return slug


def slug_of(text: str, taken: Iterable[str]) -> str:
    """A slug made of `text`'s ASCII letters and digits, with `-2`, `-3`, … when taken."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = "-".join(words)[:MAX_SLUG - 4].strip("-") or "post"
    used = set(taken)
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug


class BlogSlugDirectory(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.slugs: dict[str, UUID] = {}

    def claim(self, org_id: UUID, post_id: UUID, slug: str) -> None:
        """Give `slug` to the post (releasing the one it held); 409 when another post has it."""
        owner = self.slugs.get(check_slug(slug))
        if owner == post_id:
            return
        if owner is not None:
            raise ConflictError(f"the slug {slug!r} is taken by another blog post of the project")
        self.release(org_id, post_id)
        self._record(BlogSlugClaimed(org_id=org_id, post_id=post_id, slug=slug))

    def free_slug(self, post_id: UUID, text: str) -> str:
        """A slug for `text` that is free for the post (its own counts as free)."""
        return slug_of(text, (s for s, owner in self.slugs.items() if owner != post_id))

    def release(self, org_id: UUID, post_id: UUID) -> None:
        for slug, owner in list(self.slugs.items()):
            if owner == post_id:
                self._record(BlogSlugReleased(org_id=org_id, post_id=post_id, slug=slug))

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case BlogSlugClaimed():
                self.slugs[event.slug] = event.post_id
            case BlogSlugReleased():
                self.slugs.pop(event.slug, None)
            case _:
                pass

"""Pages commands: HTML pages (create, change — a new version when the HTML changes —,
delete, a new preview image), numbered per organization, their slugs unique across every organization."""

import dataclasses
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.claims import UniqueClaim, claim_id
from domain.errors import ConflictError, InvalidCommandError
from domain.pages.html_pages import HTML_PAGE_KIND, SLUG_CLAIM, HtmlPage, format_slug
from domain.search.numbering import NumberCounter, counter_id, numbered_id

MAX_SLUG_TRIES = 50


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateHtmlPage:
    org_id: UUID
    name: str
    html_content: str
    description: str = ""
    storage_mode: str = "page"
    features: dict[str, bool] = dataclasses.field(default_factory=dict)
    is_published: bool = True


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeHtmlPage:
    """Fields left `None` stay as they are."""

    org_id: UUID
    number: int
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    html_content: str | None = None
    storage_mode: str | None = None
    is_published: bool | None = None
    features: dict[str, bool | None] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteHtmlPage:
    org_id: UUID
    number: int


def _claim(uow: UnitOfWork, org_id: UUID, slug: str, owner: UUID) -> bool:
    """Hold `slug` for the page `owner`; False when another page holds it."""
    claim = uow.get(UniqueClaim, claim_id(SLUG_CLAIM, slug))
    if claim.owner_id not in (None, owner):
        return False
    claim.claim(org_id, SLUG_CLAIM, owner, ConflictError(f"the slug {slug!r} is taken"))
    return True


def create_html_page(uow: UnitOfWork, cmd: CreateHtmlPage) -> int:
    """A new page under the organization's next number, its slug made of its name (with
    `-2`, `-3`, … when that one is taken); returns the number."""
    number = uow.get(NumberCounter, counter_id(cmd.org_id, HTML_PAGE_KIND)).allocate(
        cmd.org_id, HTML_PAGE_KIND)
    page = uow.get(HtmlPage, numbered_id(cmd.org_id, HTML_PAGE_KIND, number))
    try:
        base = format_slug(cmd.name)
    except InvalidCommandError:  # a name of one letter or of signs only
        base = "page"
    for n in range(1, MAX_SLUG_TRIES + 1):
        slug = base if n == 1 else f"{base}-{n}"
        if _claim(uow, cmd.org_id, slug, page.id):
            break
    else:
        raise ConflictError(f"no free slug near {base!r}; choose another name")
    page.create(org_id=cmd.org_id, number=number, name=cmd.name, slug=slug,
                description=cmd.description, html_content=cmd.html_content,
                storage_mode=cmd.storage_mode, features=cmd.features,
                is_published=cmd.is_published)
    return number


def change_html_page(uow: UnitOfWork, cmd: ChangeHtmlPage) -> str:
    """Change what is given; 409 for a slug another page holds. Returns the slug."""
    page = uow.get(HtmlPage, numbered_id(cmd.org_id, HTML_PAGE_KIND, cmd.number))
    page.check_is_live(cmd.org_id)
    old_slug = page.slug
    slug = None if cmd.slug is None else format_slug(cmd.slug)
    if slug is not None and slug != old_slug:
        if not _claim(uow, cmd.org_id, slug, page.id):
            raise ConflictError(f"the slug {slug!r} is taken by another page")
        uow.get(UniqueClaim, claim_id(SLUG_CLAIM, old_slug)).release(cmd.org_id, SLUG_CLAIM,
                                                                      page.id)
    page.change(cmd.org_id, name=cmd.name, slug=slug, description=cmd.description,
                html_content=cmd.html_content, storage_mode=cmd.storage_mode,
                is_published=cmd.is_published, **cmd.features)
    return page.slug


def delete_html_page(uow: UnitOfWork, cmd: DeleteHtmlPage) -> None:
    page = uow.get(HtmlPage, numbered_id(cmd.org_id, HTML_PAGE_KIND, cmd.number))
    page.delete(cmd.org_id)
    uow.get(UniqueClaim, claim_id(SLUG_CLAIM, page.slug)).release(cmd.org_id, SLUG_CLAIM, page.id)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SetHtmlPreviewImage:
    org_id: UUID
    number: int
    file_name: str
    made_by: str


def set_html_preview_image(uow: UnitOfWork, cmd: SetHtmlPreviewImage) -> None:
    """Record the page's new preview image (the file is stored before); 404 for another
    organization's page."""
    page = uow.get(HtmlPage, numbered_id(cmd.org_id, HTML_PAGE_KIND, cmd.number))
    page.set_preview_image(cmd.org_id, cmd.file_name, cmd.made_by)

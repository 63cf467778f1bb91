"""Pages commands: landing pages (create, change, delete), numbered per organization, their
slugs and the page limit kept by the organization's page directory."""

import dataclasses
from typing import Any
from uuid import UUID

from adapters.block_schemas import check_blocks
from commands.jobs.lifecycle import CreateJob, create_job
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from domain.errors import InvalidCommandError
from domain.identity.organization import Organization
from domain.pages.landing import (
    PAGE_KIND,
    LandingPage,
    PageDirectory,
    bulk_slot_id,
    free_slug,
    page_directory_id,
    page_limit,
)
from domain.pages.page_writer import WrittenPage
from domain.search.numbering import NumberCounter, counter_id, numbered_id
from domain.search.saved_queries import QUERY_KIND, SavedQuery

GENERATE_KIND = "pages.generate"
BULK_KIND = "pages.bulk-generate"


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreatePage:
    org_id: UUID
    slug: str
    title: str | None = None
    """None: the saved query's text."""
    query: int | None = None
    published: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreatePageForQuery:
    """A draft page for a saved query: titled by its text, its slug made of it."""

    org_id: UUID
    query: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangePage:
    """`None`: leave as it is."""

    org_id: UUID
    number: int
    slug: str | None = None
    title: str | None = None
    published: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeletePage:
    org_id: UUID
    number: int


def _limit(uow: UnitOfWork, org_id: UUID) -> int | None:
    account = uow.get(BillingAccount, billing_account_id(org_id))
    organization = uow.get(Organization, org_id)
    return page_limit(account.tier or "free", organization.settings)


def check_within_page_limit(uow: UnitOfWork, org_id: UUID) -> None:
    """ForbiddenError while the organization has more live pages than its limit."""
    uow.get(PageDirectory, page_directory_id(org_id)).check_within(_limit(uow, org_id))


def _query_text(uow: UnitOfWork, org_id: UUID, number: int) -> str:
    query = uow.get(SavedQuery, numbered_id(org_id, QUERY_KIND, number))
    if not query.live or query.org_id != org_id:
        raise InvalidCommandError(f"query {number} is not a saved query of this organization")
    return query.text


def create_page(uow: UnitOfWork, cmd: CreatePage) -> int:
    """A new page under the organization's next page number (409 for a slug taken, 403 past
    the page limit); returns the number."""
    text = None if cmd.query is None else _query_text(uow, cmd.org_id, cmd.query)
    title = cmd.title if cmd.title is not None else text
    if title is None:
        raise InvalidCommandError("title is required when no query is given")
    number = uow.get(NumberCounter, counter_id(cmd.org_id, PAGE_KIND)).allocate(cmd.org_id,
                                                                               PAGE_KIND)
    page = uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, number))
    page.create(org_id=cmd.org_id, number=number, slug=cmd.slug, title=title, query=cmd.query,
                published=cmd.published)
    directory = uow.get(PageDirectory, page_directory_id(cmd.org_id))
    directory.claim(cmd.org_id, number, page.slug, _limit(uow, cmd.org_id))
    return number


def create_page_for_query(uow: UnitOfWork, cmd: CreatePageForQuery) -> int:
    text = _query_text(uow, cmd.org_id, cmd.query)
    directory = uow.get(PageDirectory, page_directory_id(cmd.org_id))
    return create_page(uow, CreatePage(org_id=cmd.org_id, slug=free_slug(text, directory.slugs),
                                       query=cmd.query))


def change_page(uow: UnitOfWork, cmd: ChangePage) -> None:
    page = uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, cmd.number))
    if page.change(cmd.org_id, slug=cmd.slug, title=cmd.title, published=cmd.published):
        directory = uow.get(PageDirectory, page_directory_id(cmd.org_id))
        directory.claim(cmd.org_id, cmd.number, page.slug, None)


def delete_page(uow: UnitOfWork, cmd: DeletePage) -> None:
    page = uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, cmd.number))
    page.delete(cmd.org_id)
    uow.get(PageDirectory, page_directory_id(cmd.org_id)).release(cmd.org_id, cmd.number)


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartPageGeneration:
    org_id: UUID
    number: int
    job_id: UUID
    created_by: UUID | None = None
    writer: dict[str, str] = dataclasses.field(default_factory=dict)
    """`ai_provider` and `ai_model` (see `page_copy.writer_parameters`); none: offline."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordPageGeneration:
    org_id: UUID
    number: int
    page: WrittenPage


MAX_PAGE_NUMBER = 2**31 - 1


def page_parameter(parameters: dict[str, Any]) -> int:
    """The `page` parameter of a job on one landing page: its number."""
    number = parameters.get("page")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_PAGE_NUMBER:
        raise InvalidCommandError("page must be the id of a landing page")
    return number


def start_page_generation(uow: UnitOfWork, cmd: StartPageGeneration) -> UUID:
    """Queue a `pages.generate` job for the page (its job slot is the page's: 409 while one
    runs); NotFoundError when the organization has no such page. Returns the job's id."""
    aggregate_id = numbered_id(cmd.org_id, PAGE_KIND, cmd.number)
    uow.get(LandingPage, aggregate_id).check_is_live(cmd.org_id)
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=aggregate_id, job_id=cmd.job_id, kind=GENERATE_KIND,
        parameters={"page": cmd.number, **cmd.writer}, conflicts=frozenset({GENERATE_KIND}),
        created_by=cmd.created_by))
    return cmd.job_id


def record_page_generation(uow: UnitOfWork, cmd: RecordPageGeneration) -> None:
    page = uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, cmd.number))
    page.record_generation(cmd.org_id, cmd.page.intro_copy, cmd.page.product_skus,
                           check_blocks(list(cmd.page.blocks)))


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartBulkGeneration:
    org_id: UUID
    job_id: UUID
    created_by: UUID | None = None
    writer: dict[str, str] = dataclasses.field(default_factory=dict)


def start_bulk_generation(uow: UnitOfWork, cmd: StartBulkGeneration) -> UUID:
    """Queue a `pages.bulk-generate` job: a page for every active saved query (made when the
    query has none), each generated. One runs per organization at a time (409)."""
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=bulk_slot_id(cmd.org_id), job_id=cmd.job_id,
        kind=BULK_KIND, parameters=dict(cmd.writer), conflicts=frozenset({BULK_KIND}),
        created_by=cmd.created_by))
    return cmd.job_id

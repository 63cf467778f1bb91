"""Search commands on the page index: upsert pages (one or a batch), delete a page."""

import dataclasses
from typing import Any
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.errors import DomainError, MalformedInputError
from domain.search import page as p


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageIn:
    """A page as sent: fields not yet checked (`Page` checks them)."""

    url: object
    content: object
    title: object = None
    metadata: object = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class UpsertPages:
    org_id: UUID
    pages: tuple[PageIn, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Upserted:
    page_id: str
    action: p.Action


@dataclasses.dataclass(frozen=True, kw_only=True)
class Refused:
    error: DomainError


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeletePage:
    org_id: UUID
    page_id: str | None = None
    url: str | None = None


def upsert_pages(uow: UnitOfWork, cmd: UpsertPages) -> list[Upserted | Refused]:
    """One outcome per page, in order; a page that is refused records nothing and the others
    go on. The same URL twice in a batch: the second sees the first."""
    outcomes: list[Upserted | Refused] = []
    for given in cmd.pages:
        try:
            url, content, title, metadata = p.check_page(given.url, given.content, given.title,
                                                         given.metadata)
            page_id = p.page_id_of(cmd.org_id, url)
            page = uow.get(p.Page, p.aggregate_id(page_id))
            action = page.upsert(org_id=cmd.org_id, url=url, content=content, title=title,
                                 metadata=metadata)
        except DomainError as error:
            outcomes.append(Refused(error=error))
            continue
        outcomes.append(Upserted(page_id=page_id, action=action))
    return outcomes


def delete_page(uow: UnitOfWork, cmd: DeletePage) -> dict[str, Any]:
    """Delete by id (ForbiddenError for another organization's page) or by URL."""
    if cmd.page_id is not None:
        page_id = p.check_page_id(cmd.page_id)
    elif cmd.url is not None:
        page_id = p.page_id_of(cmd.org_id, cmd.url.strip())
    else:
        raise MalformedInputError("either 'url' or 'pageId' is required")
    page = uow.get(p.Page, p.aggregate_id(page_id))
    page.delete(cmd.org_id)
    return {"pageId": page.page_id, "url": page.url}

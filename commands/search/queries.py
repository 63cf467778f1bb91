"""Search commands on saved queries (`AIQuery`), numbered per organization."""

import dataclasses
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.search.numbering import NumberCounter, counter_id, numbered_id
from domain.search.saved_queries import QUERY_KIND, SavedQuery


@dataclasses.dataclass(frozen=True, kw_only=True)
class SaveQuery:
    org_id: UUID
    text: str
    active: bool = True


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeQuery:
    """`None`: leave as it is."""

    org_id: UUID
    number: int
    text: str | None = None
    active: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteQuery:
    org_id: UUID
    number: int


def save_query(uow: UnitOfWork, cmd: SaveQuery) -> int:
    """Keep a query under the organization's next number; returns the number."""
    counter = uow.get(NumberCounter, counter_id(cmd.org_id, QUERY_KIND))
    number = counter.allocate(cmd.org_id, QUERY_KIND)
    query = uow.get(SavedQuery, numbered_id(cmd.org_id, QUERY_KIND, number))
    query.save(org_id=cmd.org_id, number=number, text=cmd.text, active=cmd.active)
    return number


def change_query(uow: UnitOfWork, cmd: ChangeQuery) -> None:
    """Change its text or active flag; NotFoundError when the organization has no such one."""
    query = uow.get(SavedQuery, numbered_id(cmd.org_id, QUERY_KIND, cmd.number))
    query.change(cmd.org_id, text=cmd.text, active=cmd.active)


def delete_query(uow: UnitOfWork, cmd: DeleteQuery) -> None:
    uow.get(SavedQuery, numbered_id(cmd.org_id, QUERY_KIND, cmd.number)).delete(cmd.org_id)

"""A project's link to a store connection, kept on both sides in one unit of work: the
project names its connection, the connection lists its projects (so that one in use is not
deleted)."""

from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.catalog.project import Project
from domain.errors import NotFoundError
from domain.stores.connection import StoreConnection


def relink(uow: UnitOfWork, project: Project, new: UUID | None, *, clear: bool) -> None:
    """Check the connection the update names (NotFoundError for an unknown, deleted or
    another organization's one, PlatformMismatchError for another platform's) and move the
    project's link to it; `clear` unlinks the current one."""
    assert project.org_id is not None
    old = project.store_connection_id
    if new is not None and new != old:
        connection = uow.get(StoreConnection, new)
        if not connection.live or connection.org_id != project.org_id:
            raise NotFoundError(f"store connection {new} not found")
        connection.link(project.org_id, project.id, project.platform)
    if old is not None and (clear or (new is not None and new != old)):
        uow.get(StoreConnection, old).unlink(project.id)

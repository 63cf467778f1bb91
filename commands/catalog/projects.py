"""Catalog commands on projects: create, update, trash, restore, truncate, purge."""

import dataclasses
from typing import Any, Protocol
from uuid import UUID

from commands.catalog.access import load_active_project, load_project
from commands.catalog.store_links import relink
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import DataSource
from domain.catalog.project import Project
from domain.errors import NotFoundError
from domain.jobs.slot import ProjectJobSlot, job_slot_id


class StoreConnections(Protocol):
    """What the catalog asks of the store connections: whether one is the organization's."""

    def exists(self, org_id: UUID, connection_id: UUID) -> bool: ...


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateProject:
    org_id: UUID
    project_id: UUID
    name: str
    platform: str
    settings: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class UpdateProject:
    """None keeps a field; `clear_store_connection` unlinks the store connection."""

    org_id: UUID
    project_id: UUID
    name: str | None = None
    settings: dict[str, Any] | None = None
    store_connection_id: UUID | None = None
    clear_store_connection: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class TrashProject:
    org_id: UUID
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class RestoreProject:
    org_id: UUID
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class PurgeProject:
    org_id: UUID
    project_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class TruncateProject:
    """`has_running_job`: the caller knows a job runs there; the handler also asks the
    project's job slot."""

    org_id: UUID
    project_id: UUID
    has_running_job: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class Truncated:
    sources_deleted: int
    items_deleted: int


def create_project(uow: UnitOfWork, cmd: CreateProject) -> Project:
    """A new project of the organization (in draft)."""
    project = uow.get(Project, cmd.project_id)
    project.create(org_id=cmd.org_id, name=cmd.name, platform=cmd.platform,
                   settings=cmd.settings)
    return project


def update_project(uow: UnitOfWork, cmd: UpdateProject,
                   connections: StoreConnections | None = None) -> Project:
    """Change the given details of a project that is not in the trash; NotFoundError for a
    store connection the organization does not have, PlatformMismatchError for one of
    another platform. `connections`: answer from these instead of the store connections
    themselves (which then keep no link)."""
    project = load_project(uow, cmd.org_id, cmd.project_id)
    connection = cmd.store_connection_id
    if connections is None:
        project.check_not_trashed()
        relink(uow, project, connection, clear=cmd.clear_store_connection)
    elif connection is not None and not connections.exists(cmd.org_id, connection):
        raise NotFoundError(f"store connection {connection} not found")
    project.update(name=cmd.name, settings=cmd.settings,
                   store_connection_id=cmd.store_connection_id,
                   clear_store_connection=cmd.clear_store_connection)
    return project


def trash_project(uow: UnitOfWork, cmd: TrashProject) -> Project:
    """Move a project to the trash (its sources and items stay, hidden with it)."""
    project = load_project(uow, cmd.org_id, cmd.project_id)
    project.trash()
    return project


def restore_project(uow: UnitOfWork, cmd: RestoreProject) -> Project:
    """Take a project out of the trash."""
    project = load_project(uow, cmd.org_id, cmd.project_id)
    project.restore()
    return project


def purge_project(uow: UnitOfWork, cmd: PurgeProject) -> Project:
    """Delete a project for good, with every source and item of it."""
    project = load_project(uow, cmd.org_id, cmd.project_id)
    project.purge()
    return project


def truncate_project(uow: UnitOfWork, cmd: TruncateProject) -> Truncated:
    """Delete every source of the project and their items, keeping the project itself;
    ConflictError while a job runs on it."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    slot = uow.get(ProjectJobSlot, job_slot_id(cmd.org_id, cmd.project_id))
    sources = [uow.get(DataSource, s) for s in project.truncate(
        has_running_job=cmd.has_running_job or bool(slot.running))]
    for source in sources:
        source.delete()
    return Truncated(sources_deleted=len(sources),
                     items_deleted=sum(len(source.external_ids) for source in sources))

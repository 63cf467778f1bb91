"""Start an import from the project's connected store: its store source (one per project
and connection, reused by every later import, so a product imported before is the same item
and is not written again) and a `store.import` job, in one unit of work."""

import dataclasses
from uuid import UUID, uuid5

from commands.catalog.access import load_active_project
from commands.imports.file_import import IMPORT_CONFLICTS
from commands.jobs.lifecycle import CreateJob, create_job
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import DataSource
from domain.catalog.project import Project
from domain.errors import InvalidCommandError
from domain.stores.connection import StoreConnection

STORE_IMPORT_KIND = "store.import"
STORE_IMPORT_CONFLICTS = IMPORT_CONFLICTS | {STORE_IMPORT_KIND}
NO_CONNECTION = "the project has no store connection: link one with store_connection_id"


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartStoreImport:
    org_id: UUID
    project_id: UUID
    job_id: UUID
    filters: dict[str, str]
    created_by: UUID | None = None


def store_source_id(project_id: UUID, connection_id: UUID) -> UUID:
    return uuid5(project_id, f"store:{connection_id}")


def linked_connection(uow: UnitOfWork, project: Project) -> StoreConnection:
    """The project's store connection; InvalidCommandError when it has none."""
    assert project.org_id is not None
    if project.store_connection_id is None:
        raise InvalidCommandError(NO_CONNECTION)
    connection = uow.get(StoreConnection, project.store_connection_id)
    connection.check_is_live(project.org_id)
    return connection


def start_store_import(uow: UnitOfWork, cmd: StartStoreImport) -> UUID:
    """Queue the import (409 while an import or a generation runs on the project); the id
    of the store source it imports into."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    connection = linked_connection(uow, project)
    source_id = store_source_id(project.id, connection.id)
    source = uow.get(DataSource, source_id)
    if source.exists and source.deleted:  # a deleted source's products start over
        source_id = uuid5(source_id, str(cmd.job_id))
        source = uow.get(DataSource, source_id)
    if not source.exists:
        source.register(org_id=cmd.org_id, project_id=project.id, name=connection.name,
                        kind="store", platform=project.platform)
        project.add_source(source_id)
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=project.id, job_id=cmd.job_id, kind=STORE_IMPORT_KIND,
        parameters={"source_id": str(source_id), "connection_id": str(connection.id),
                    "filters": dict(cmd.filters)},
        conflicts=STORE_IMPORT_CONFLICTS, created_by=cmd.created_by))
    return source_id

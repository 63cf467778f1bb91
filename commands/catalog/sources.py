"""Catalog commands on data sources: register one, import its products in batches, finish
or fail its import, delete it (its items go with it)."""

import dataclasses
from collections.abc import Sequence
from uuid import UUID

from commands.catalog.access import load_active_project, load_source
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import DataSource
from domain.catalog.ids import import_batch_id
from domain.catalog.import_batch import IMPORTED_ITEMS, ImportBatch
from domain.catalog.project import Project
from domain.catalog.records import ProductRecord

MANUAL_SOURCE_NAME = "Manual Entry"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AddManualSource:
    """A manual-entry source, with the products typed in (possibly none yet)."""

    org_id: UUID
    project_id: UUID
    source_id: UUID
    name: str = MANUAL_SOURCE_NAME
    records: Sequence[ProductRecord] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class RegisterFileSource:
    """A file source whose products the import job then sends with `ImportProducts`;
    `file_key`: where the original file is kept in the file store."""

    org_id: UUID
    project_id: UUID
    source_id: UUID
    name: str
    platform: str
    filename: str
    file_key: str
    column_mapping: dict[str, str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImportProducts:
    """One batch (up to `data_source.MAX_BATCH`) of a source's products, in one transaction;
    products the source imported before are skipped."""

    org_id: UUID
    project_id: UUID
    source_id: UUID
    records: Sequence[ProductRecord]


@dataclasses.dataclass(frozen=True, kw_only=True)
class CompleteSourceImport:
    org_id: UUID
    project_id: UUID
    source_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class FailSourceImport:
    org_id: UUID
    project_id: UUID
    source_id: UUID
    error_message: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteSource:
    org_id: UUID
    project_id: UUID
    source_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class Imported:
    imported: int
    skipped: int


def add_manual_source(uow: UnitOfWork, cmd: AddManualSource) -> Imported:
    """Register a manual source on the project's platform and make an item of each product."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    source = _register(uow, project, cmd.source_id, name=cmd.name, kind="manual",
                       platform=project.platform)
    return _import(uow, project, source, cmd.records)


def register_file_source(uow: UnitOfWork, cmd: RegisterFileSource) -> DataSource:
    """Register a file source (status processing until `complete_source_import`)."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    return _register(uow, project, cmd.source_id, name=cmd.name, kind="file",
                     platform=cmd.platform, filename=cmd.filename, file_key=cmd.file_key,
                     column_mapping=cmd.column_mapping)


def import_products(uow: UnitOfWork, cmd: ImportProducts) -> Imported:
    """Make an item of each product the source has not imported yet (the source knows what
    it imported)."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    source = load_source(uow, cmd.org_id, cmd.project_id, cmd.source_id)
    return _import(uow, project, source, cmd.records)


def complete_source_import(uow: UnitOfWork, cmd: CompleteSourceImport) -> DataSource:
    source = load_source(uow, cmd.org_id, cmd.project_id, cmd.source_id)
    source.complete_import()
    return source


def fail_source_import(uow: UnitOfWork, cmd: FailSourceImport) -> DataSource:
    source = load_source(uow, cmd.org_id, cmd.project_id, cmd.source_id)
    source.fail_import(cmd.error_message)
    return source


def delete_source(uow: UnitOfWork, cmd: DeleteSource) -> DataSource:
    """Delete a source of a project not in the trash; its items are gone with it."""
    project = load_active_project(uow, cmd.org_id, cmd.project_id)
    source = load_source(uow, cmd.org_id, cmd.project_id, cmd.source_id)
    source.delete()
    project.remove_source(source.id)
    return source


def _register(uow: UnitOfWork, project: Project, source_id: UUID, *, name: str, kind: str,
              platform: str, filename: str = "", file_key: str = "",
              column_mapping: dict[str, str] | None = None) -> DataSource:
    assert project.org_id is not None
    source = uow.get(DataSource, source_id)
    source.register(org_id=project.org_id, project_id=project.id, name=name, kind=kind,
                    platform=platform, filename=filename, file_key=file_key,
                    column_mapping=column_mapping)
    project.add_source(source.id)
    return source


def _import(uow: UnitOfWork, project: Project, source: DataSource,
            records: Sequence[ProductRecord]) -> Imported:
    """Each new product becomes an item: written in batches (`ImportBatch`), each item
    noted in the `imported-items` index; no item stream is written until it changes."""
    assert project.org_id is not None
    imported = 0
    for records_of_batch in source.accept_products(records):
        # written blind: its first product is new to the source, so is its id (were it
        # not, the append would be stale and the command run again)
        batch = ImportBatch(import_batch_id(source.id, records_of_batch[0].external_id))
        uow.add(batch)
        entries = batch.import_products(org_id=project.org_id, project_id=project.id,
                                        source_id=source.id, records=records_of_batch)
        uow.add_to_index(IMPORTED_ITEMS, entries)
        imported += len(entries)
    return Imported(imported=imported, skipped=len(records) - imported)

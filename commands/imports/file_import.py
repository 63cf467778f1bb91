"""Start a file import: register the file source and queue its `catalog.import` job in one
unit of work, so there is never a source without its job nor a job without its source. Each
batch of the import then lands together with the job's progress."""

import dataclasses
from uuid import UUID

from commands.catalog.sources import (
    Imported,
    ImportProducts,
    RegisterFileSource,
    import_products,
    register_file_source,
)
from commands.jobs.lifecycle import CreateJob, ReportProgress, create_job, report_progress
from commands.unit_of_work import UnitOfWork
from domain.catalog.ids import import_job_id
from domain.jobs.job import Job

IMPORT_KIND = "catalog.import"
IMPORT_CONFLICTS = frozenset({IMPORT_KIND, "content.generate", "content.regenerate",
                              "content.regenerate-rejected"})


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartFileImport:
    """`source`: the file source to register; the job gets `import_job_id(source id)`."""

    source: RegisterFileSource
    created_by: UUID | None = None


def start_file_import(uow: UnitOfWork, cmd: StartFileImport) -> Job:
    """Register the source (status processing) and queue its import job; ConflictError (409)
    while an import or a generation job runs on the project."""
    source = cmd.source
    register_file_source(uow, source)
    return create_job(uow, CreateJob(
        org_id=source.org_id, project_id=source.project_id, job_id=import_job_id(source.source_id),
        kind=IMPORT_KIND, parameters={"source_id": str(source.source_id)},
        conflicts=IMPORT_CONFLICTS, created_by=cmd.created_by))


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImportBatchOfFile:
    """A batch of the file's products, and how far the import job has come with it."""

    products: ImportProducts
    progress: ReportProgress


def import_batch_of_file(uow: UnitOfWork, cmd: ImportBatchOfFile) -> Imported:
    imported = import_products(uow, cmd.products)
    report_progress(uow, cmd.progress)
    return imported

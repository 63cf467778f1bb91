"""`catalog.import`: a file source's products become content items.

One unit ("file") streams the stored file through `read_catalog` and sends `ImportProducts`
every `BATCH` records, each batch its own transaction, so memory stays bounded and the items
appear (and the source's `item_count` grows) while the file is read. The engine's heartbeats
keep the unit alive however long the file; a worker killed mid-import has its unit delivered
again, which reads the file from the start: item ids are uuid5(source, external id) and the
source skips products it imported before, so every product is imported exactly once.

`record` writes the outcome together with `CompleteSourceImport`, or `FailSourceImport` with
the reader's message (naming line and column) when the file turns out broken further down.
The products before the broken row are imported and stay: the source shows `failed` with the
message, and deleting the source removes them.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import UUID

from adapters.catalog_files import read_catalog
from adapters.files.store import file_store_for
from commands.bus import CommandBus
from commands.catalog_file_import import IMPORT_CONFLICTS, IMPORT_KIND
from commands.catalog_sources import (
    CompleteSourceImport,
    FailSourceImport,
    ImportProducts,
    complete_source_import,
    fail_source_import,
    import_products,
)
from commands.ports import EventMeta
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import DataSource
from domain.catalog.records import ProductRecord
from domain.errors import DomainError, InvalidCommandError
from domain.jobs.job import Job
from workers.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result

BATCH = 1000
"""Products per ImportProducts command (one transaction); larger ones were no faster and
made the projector hold more at once."""
UNIT_ID = "file"


@dataclasses.dataclass(frozen=True)
class ImportKind:
    name: str = IMPORT_KIND
    conflicts: frozenset[str] = IMPORT_CONFLICTS
    concurrency: int = 2
    ack_wait: float = 10.0
    max_attempts: int = 3

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"source_id": str(UUID(str(parameters.get("source_id"))))}
        except ValueError:
            raise InvalidCommandError("source_id must be the id of a file source") from None

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        yield Unit(id=UNIT_ID, data={"source_id": job.parameters["source_id"]})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        try:
            return await asyncio.to_thread(FileImport(ctx, job).run)
        except Exception:
            if unit.attempt < self.max_attempts:
                raise  # retried by the engine
            # the last attempt: fail the source too (through `record`), not only the job
            return UnitResult(status="failed", error=(
                f"the import stopped unexpectedly {self.max_attempts} times; upload the file again"))

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None and job.project_id is not None
        source_id = UUID(str(job.parameters["source_id"]))
        if not record_result(job, unit, result):
            return
        if result.status == "succeeded":
            complete_source_import(uow, CompleteSourceImport(
                org_id=job.org_id, project_id=job.project_id, source_id=source_id))
        else:
            fail_source_import(uow, FailSourceImport(
                org_id=job.org_id, project_id=job.project_id, source_id=source_id,
                error_message=result.error))


class FileImport:
    """One pass over a source's stored file, importing its products batch by batch."""

    def __init__(self, ctx: JobContext, job: JobSpec) -> None:
        self.ctx = ctx
        self.job = job
        self.source_id = UUID(str(job.parameters["source_id"]))
        self.bus = CommandBus(ctx.store)
        self.meta = EventMeta(actor_type="system", actor_id="job-worker",
                              causation_id=str(job.id), correlation_id=str(job.id))
        self.rows = self.imported = self.skipped = 0

    def run(self) -> UnitResult:
        try:
            source = self._source()
            for batch in self._batches(source):
                self._send(batch)
        except (DomainError, FileNotFoundError) as error:
            return UnitResult(status="failed", error=str(error), detail=self._detail())
        return UnitResult(detail=self._detail())

    def _source(self) -> DataSource:
        uow = UnitOfWork(self.ctx.store)
        source = uow.get_existing(DataSource, self.source_id, "data source")
        source.check_belongs_to(self.job.org_id, self.job.project_id)
        if source.kind != "file" or not source.file_key:
            raise InvalidCommandError("the data source has no file to import")
        return source

    def _batches(self, source: DataSource) -> Iterator[list[ProductRecord]]:
        with file_store_for(self.ctx.settings).open(source.file_key) as stream:
            records = read_catalog(source.platform, stream, filename=source.filename,
                                   column_mapping=source.column_mapping or None)
            batch: list[ProductRecord] = []
            try:
                for record in records:
                    batch.append(record)
                    if len(batch) == BATCH:
                        yield batch
                        batch = []
            except DomainError:
                if batch:  # the products before the broken row are imported too
                    yield batch
                raise
            if batch:
                yield batch

    def _send(self, batch: list[ProductRecord]) -> None:
        self.rows += len(batch)
        outcome = self.bus.execute(import_products, ImportProducts(
            org_id=self.job.org_id, project_id=self.job.project_id, source_id=self.source_id,
            records=batch), self.meta)
        self.imported += outcome.result.imported
        self.skipped += outcome.result.skipped

    def _detail(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "skipped": self.skipped}


KIND = ImportKind()

"""`catalog.import`: a file source's products become content items.

One unit ("file") streams the stored file through `read_catalog` and sends `ImportProducts`
every `BATCH` records, each batch its own transaction together with the job's progress (rows
so far), so memory stays bounded and the items appear (and the source's `item_count` and the
job's `progress_current` grow) while the file is read; the file is parsed a batch ahead, in a
thread of its own. The engine's heartbeats keep the unit alive however long the file; a
worker killed mid-import has its unit delivered again, which reads the file from the start:
item ids are uuid5(source, external id) and the source skips products it imported before,
so every product is imported exactly once.

`record` writes the outcome together with `CompleteSourceImport`, or `FailSourceImport` with
the reader's message (naming line and column) when the file turns out broken further down.
The products before the broken row are imported and stay: the source shows `failed` with the
message, and deleting the source removes them.
"""

import asyncio
import dataclasses
import os
import queue
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar
from uuid import UUID

from adapters.catalog_files import read_catalog
from adapters.files.store import file_store_for
from commands.bus import CommandBus
from commands.catalog.sources import (
    CompleteSourceImport,
    FailSourceImport,
    ImportProducts,
    complete_source_import,
    fail_source_import,
)
from commands.imports.file_import import (
    IMPORT_CONFLICTS,
    IMPORT_KIND,
    ImportBatchOfFile,
    import_batch_of_file,
)
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.jobs.lifecycle import ReportProgress, report_progress
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import DataSource
from domain.catalog.errors import SourceHasNoFileError
from domain.catalog.records import ProductRecord
from domain.errors import DomainError, InvalidCommandError
from domain.jobs.job import Job
from domain.log import EventMeta

T = TypeVar("T")
BATCH = 2500
"""Products per import command (one transaction, written as a few batch events): 1,000 left
the worker paying more per product for loading the source and project; 5,000 took the
worker's memory near 300 MB on a 100k-row Magento file."""
UNIT_ID = "file"



def record_source_import(uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
    """The unit's outcome, and with it the source's: imported, or failed with the reason
    (`job.parameters["source_id"]`); nothing when the unit already had an outcome."""
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
        record_source_import(uow, job, unit, result)


@dataclasses.dataclass(frozen=True)
class Batch:
    records: list[ProductRecord]
    read_bytes: int
    """How far into the file the reader was once it had the batch."""


class FileImport:
    """One pass over a source's stored file, importing its products batch by batch, each
    with the job's progress: rows so far, of about rows * file size / bytes read."""

    def __init__(self, ctx: JobContext, job: JobSpec) -> None:
        self.ctx = ctx
        self.job = job
        self.source_id = UUID(str(job.parameters["source_id"]))
        self.bus = CommandBus(ctx.store)
        self.meta = EventMeta(actor_type="system", actor_id="job-worker",
                              causation_id=str(job.id), correlation_id=str(job.id))
        self.rows = self.imported = self.skipped = 0
        self.file_bytes = 0

    def run(self) -> UnitResult:
        try:
            source = self._source()
            for batch in read_ahead(self._batches(source)):
                self._send(batch)
            self._report(expected=self.rows)  # the end: the count is known
        except (DomainError, FileNotFoundError) as error:
            return UnitResult(status="failed", error=str(error), detail=self._detail())
        return UnitResult(detail=self._detail())

    def _source(self) -> DataSource:
        uow = UnitOfWork(self.ctx.store)
        source = uow.get_existing(DataSource, self.source_id, "data source")
        source.check_belongs_to(self.job.org_id, self.job.project_id)
        if source.kind != "file" or not source.file_key:
            raise SourceHasNoFileError("the data source has no file to import")
        return source

    def _batches(self, source: DataSource) -> Iterator[Batch]:
        with file_store_for(self.ctx.settings).open(source.file_key) as stream:
            self.file_bytes = os.fstat(stream.fileno()).st_size
            records = read_catalog(source.platform, stream, filename=source.filename,
                                   column_mapping=source.column_mapping or None)
            batch: list[ProductRecord] = []
            try:
                for record in records:
                    batch.append(record)
                    if len(batch) == BATCH:
                        yield Batch(batch, stream.tell())
                        batch = []
            except DomainError:
                if batch:  # the products before the broken row are imported too
                    yield Batch(batch, stream.tell())
                raise
            if batch:
                yield Batch(batch, self.file_bytes)

    def _send(self, batch: Batch) -> None:
        self.rows += len(batch.records)
        # the reader reads ahead of its rows: never expect fewer than one more batch
        expected = max(self.rows * self.file_bytes // max(batch.read_bytes, 1),
                       self.rows + (BATCH if batch.read_bytes < self.file_bytes else 0))
        outcome = self.bus.execute(import_batch_of_file, ImportBatchOfFile(
            products=ImportProducts(org_id=self.job.org_id, project_id=self.job.project_id,
                                    source_id=self.source_id, records=batch.records),
            progress=self._progress(expected)), self.meta)
        self.imported += outcome.result.imported
        self.skipped += outcome.result.skipped

    def _report(self, expected: int) -> None:
        self.bus.execute(report_progress, self._progress(expected), self.meta)

    def _progress(self, expected: int) -> ReportProgress:
        return ReportProgress(org_id=self.job.org_id, job_id=self.job.id, unit_id=UNIT_ID,
                              done=self.rows, expected=expected)

    def _detail(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "skipped": self.skipped}


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced by a thread of their own up to `depth` ahead of the caller: the file
    is parsed while the previous batch is being written. An exception of `items` is raised
    here, after the items before it; leaving early stops (and closes) `items`."""
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(kind: str, value: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put("item", item):
                    return
            put("end", None)
        except BaseException as error:  # handed to the consumer, raised there
            put("error", error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=produce, name="catalog-reader", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        reader.join()


KIND = ImportKind()

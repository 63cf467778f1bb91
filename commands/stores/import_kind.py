"""`store.import`: the products of the project's connected store become content items.

One unit ("store"): read every matching product from the store (its platform's paging,
through the outbound guard, 429 and throttles waited out), then write them through the same
import batches as a file import (`import_batch_of_file`), each batch with the job's
progress. Item ids are uuid5(source, external id) and the source skips products it imported
before, so a redelivered unit or a re-import writes nothing for a product already there.
A store that cannot be read fails the unit with the reason, recorded on the source too.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from adapters.secret_box import SecretBox
from adapters.stores.clients import client_for, connection_credentials, store_policy
from adapters.stores.http import StoreAuthError, StoreError, StoreHttp
from adapters.stores.reading import store_records
from commands.bus import CommandBus
from commands.catalog.sources import (
    ImportProducts,
)
from commands.imports.file_import import ImportBatchOfFile, import_batch_of_file
from commands.imports.kind import record_source_import
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult
from commands.jobs.lifecycle import ReportProgress
from commands.stores.imports import STORE_IMPORT_CONFLICTS, STORE_IMPORT_KIND
from commands.unit_of_work import UnitOfWork
from domain.catalog.records import ProductRecord
from domain.errors import DomainError, InvalidCommandError
from domain.jobs.job import Job
from domain.log import EventMeta
from domain.stores.connection import StoreConnection

UNIT_ID = "store"
BATCH = 1000


@dataclasses.dataclass(frozen=True)
class StoreImportKind:
    name: str = STORE_IMPORT_KIND
    conflicts: frozenset[str] = STORE_IMPORT_CONFLICTS
    concurrency: int = 2
    ack_wait: float = 30.0
    max_attempts: int = 2

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        try:
            checked = {key: str(UUID(str(parameters.get(key))))
                       for key in ("source_id", "connection_id")}
        except ValueError:
            raise InvalidCommandError(
                "a store import is started by POST /api/v1/projects/<id>/import/execute") from None
        filters = parameters.get("filters") or {}
        if not isinstance(filters, dict) or not all(
                isinstance(v, str) for v in filters.values()):
            raise InvalidCommandError("filters must map names to strings")
        return {**checked, "filters": filters}

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        yield Unit(id=UNIT_ID, data={})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        connection_id = UUID(str(job.parameters["connection_id"]))
        try:
            connection = await asyncio.to_thread(_connection, ctx, job.org_id, connection_id)
            async with ctx.pool.connection() as conn:
                credentials = await connection_credentials(
                    conn, SecretBox(ctx.settings.secret_key), job.org_id, connection_id)
            if credentials is None:
                return UnitResult(status="failed", error="the store connection has no credentials")
            client = client_for(connection.platform, connection.base_url, credentials,
                                StoreHttp(store_policy(ctx.settings)))
            records = await store_records(client, dict(job.parameters.get("filters") or {}))
            return await asyncio.to_thread(_write, ctx, job, records)
        except StoreAuthError:
            return UnitResult(status="failed", error="the store refused the credentials")
        except (StoreError, DomainError) as error:
            return UnitResult(status="failed", error=f"the store could not be read: {error}")

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        record_source_import(uow, job, unit, result)


def _connection(ctx: JobContext, org_id: UUID, connection_id: UUID) -> StoreConnection:
    connection = UnitOfWork(ctx.store).get(StoreConnection, connection_id)
    connection.check_is_live(org_id)
    return connection


def _write(ctx: JobContext, job: JobSpec, records: list[ProductRecord]) -> UnitResult:
    bus = CommandBus(ctx.store)
    meta = EventMeta(actor_type="system", actor_id="job-worker", causation_id=str(job.id),
                     correlation_id=str(job.id))
    source_id = UUID(str(job.parameters["source_id"]))
    imported = skipped = done = 0
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        done += len(batch)
        outcome = bus.execute(import_batch_of_file, ImportBatchOfFile(
            products=ImportProducts(org_id=job.org_id, project_id=job.project_id,
                                    source_id=source_id, records=batch),
            progress=ReportProgress(org_id=job.org_id, job_id=job.id, unit_id=UNIT_ID,
                                    done=done, expected=len(records))), meta)
        imported += outcome.result.imported
        skipped += outcome.result.skipped
    return UnitResult(detail={"products": len(records), "imported": imported,
                              "skipped": skipped})


KIND = StoreImportKind()

"""`store.sync` (`job_type` "sync" on `POST /api/v1/projects/<id>/jobs`): the project's
approved items written to its store in the background, as `POST …/sync` does in the
request. `payload`: `mode` pending (default) | all | selected, `item_ids` with selected.
Refused at creation (422) when the project has no store connection. A unit delivered again
after its items were written finds them `synced` (mode pending), so they are not written
twice."""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from adapters.secret_box import SecretBox
from adapters.settings import Settings
from adapters.stores.clients import client_for, connection_credentials, store_policy
from adapters.stores.http import StoreHttp
from commands.bus import CommandBus
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.stores.imports import NO_CONNECTION
from commands.stores.sync_run import sync_items
from commands.unit_of_work import UnitOfWork
from domain.catalog.project import Project
from domain.errors import DomainError, InvalidCommandError
from domain.jobs.job import Job
from domain.log import EventMeta
from domain.stores.connection import StoreConnection
from projections.catalog.queries import get_items, get_project, item_ids_in_status
from projections.stores.queries import get_connection

SYNC_KIND = "store.sync"
MODES = {"pending": ("approved",), "all": ("approved", "synced")}
MAX_ITEMS = 10_000
UNIT_ID = "sync"


@dataclasses.dataclass(frozen=True)
class StoreSyncKind:
    name: str = SYNC_KIND
    conflicts: frozenset[str] = frozenset({SYNC_KIND})
    concurrency: int = 2
    ack_wait: float = 60.0
    max_attempts: int = 2

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        mode = parameters.get("mode", "pending")
        if mode not in ("pending", "all", "selected"):
            raise InvalidCommandError("payload.mode must be one of: pending, all, selected")
        ids = parameters.get("item_ids") or []
        if not isinstance(ids, list) or len(ids) > MAX_ITEMS:
            raise InvalidCommandError(f"payload.item_ids must be a list of at most {MAX_ITEMS}")
        try:
            item_ids = [str(UUID(str(i))) for i in ids]
        except ValueError:
            raise InvalidCommandError("payload.item_ids must hold item ids") from None
        if mode == "selected" and not item_ids:
            raise InvalidCommandError("payload.item_ids: mode selected needs items")
        return {"mode": mode, "item_ids": item_ids}

    async def check_start(self, conn: AsyncConnection[Any], settings: Settings, org_id: UUID,
                          project_id: UUID, parameters: dict[str, Any]) -> None:
        """422 before the job is queued when the project has no store connection."""
        project = await get_project(conn, org_id, project_id)
        if project is None or project.store_connection_id is None or await get_connection(
                conn, org_id, project.store_connection_id) is None:
            raise InvalidCommandError(NO_CONNECTION)

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        yield Unit(id=UNIT_ID, data={})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        bus = CommandBus(ctx.store)
        meta = EventMeta(actor_type="system", actor_id="job-worker", causation_id=str(job.id),
                         correlation_id=str(job.id))
        try:
            project, connection = await asyncio.to_thread(_load, ctx, job)
            async with ctx.pool.connection() as conn:
                credentials = await connection_credentials(
                    conn, SecretBox(ctx.settings.secret_key), job.org_id, connection.id)
                ids = ([UUID(i) for i in job.parameters["item_ids"]]
                       if job.parameters["mode"] == "selected" else await item_ids_in_status(
                           conn, job.org_id, job.project_id, MODES[job.parameters["mode"]],
                           exclude_variants=False))
                items = await get_items(conn, job.org_id, job.project_id, ids)
        except DomainError as error:
            return UnitResult(status="failed", error=str(error))
        if credentials is None:
            return UnitResult(status="failed", error="the store connection has no credentials")
        client = client_for(connection.platform, connection.base_url, credentials,
                            StoreHttp(store_policy(ctx.settings)))

        async def execute(handler: Any, command: Any) -> Any:
            return await asyncio.to_thread(bus.execute, handler, command, meta)
        synced, failed = 0, []
        async for outcome in sync_items(execute, client, org_id=job.org_id,
                                        project_id=job.project_id, items=items,
                                        store_view=str(project.settings.get("store_view") or "all")):
            if outcome.success:
                synced += 1
            else:
                failed.append({"item_id": str(outcome.item_id), "error": outcome.error})
        return UnitResult(detail={"synced_count": synced, "failed_count": len(failed),
                                  "failed_items": failed[:100]})

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        record_result(job, unit, result)


def _load(ctx: JobContext, job: JobSpec) -> tuple[Project, StoreConnection]:
    uow = UnitOfWork(ctx.store)
    project = uow.get(Project, job.project_id)
    project.check_belongs_to(job.org_id)
    if project.store_connection_id is None:
        raise InvalidCommandError(NO_CONNECTION)
    connection = uow.get(StoreConnection, project.store_connection_id)
    connection.check_is_live(job.org_id)
    return project, connection


KIND = StoreSyncKind()

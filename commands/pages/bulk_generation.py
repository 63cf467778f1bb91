"""`pages.bulk-generate`: a landing page for every active saved query, each generated.

Started by `POST /api/ai-pages/pages/bulk-generate/`; its slot is the organization's bulk
slot (one at a time). One unit per active query ("query-<n>"): `run` finds the query's page
(the first one made for it) and writes it as `pages.generate` does; `record` makes the page
when the query has none yet (a draft, its slug made of the query's text, within the page
limit: past it the unit fails with the reason) and keeps what was written, charged once.
"""

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

from adapters.llm.errors import ProviderError
from adapters.settings import Settings
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult
from commands.pages.landing import BULK_KIND, CreatePageForQuery, create_page_for_query
from commands.pages.page_copy import writer_parameters
from commands.pages.page_generation import Written, record_written, write_for_query
from commands.unit_of_work import UnitOfWork
from domain.errors import InvalidCommandError
from domain.jobs.job import Job
from domain.pages.landing import bulk_slot_id
from projections.pages.landing_queries import page_number_for_query
from projections.search.segments_queries import list_queries


@dataclasses.dataclass(frozen=True, kw_only=True)
class BulkWritten:
    page: int | None
    """The query's page; None: it has none yet."""
    written: Written


class BulkGenerationKind:
    name = BULK_KIND
    conflicts = frozenset({BULK_KIND})
    ack_wait = 30.0
    max_attempts = 3

    def __init__(self, concurrency: int = 4) -> None:
        self.concurrency = concurrency
        """Pages written at a time per worker: the process's limit on text-model calls."""

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return writer_parameters(parameters)

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        if job.project_id != bulk_slot_id(job.org_id):
            raise InvalidCommandError(
                "a pages.bulk-generate job is started by POST /api/ai-pages/pages/bulk-generate/")
        async with ctx.pool.connection() as conn:
            queries = await list_queries(conn, job.org_id, active=True)
        for query in queries:
            yield Unit(id=f"query-{query.number}",
                       data={"query": query.number, "text": query.text})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        number, text = int(unit.data["query"]), str(unit.data["text"])
        async with ctx.pool.connection() as conn:
            page = await page_number_for_query(conn, job.org_id, number)
        try:
            written = await write_for_query(ctx, job.org_id, text, text,
                                            writer_parameters(job.parameters))
        except ProviderError as error:
            return UnitResult(status="failed", error=str(error), detail={"query": number})
        return UnitResult(detail={"query": number, "products": len(written.page.product_skus),
                                  "provider": written.provider, "model": written.model},
                          output=BulkWritten(page=page, written=written))

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        assert job.org_id is not None
        org_id, output = job.org_id, result.output
        if not isinstance(output, BulkWritten):
            record_written(uow, job, unit, result, 0)
            return
        query = int(unit.data["query"])
        page = output.page if output.page is not None else (
            lambda: create_page_for_query(uow, CreatePageForQuery(org_id=org_id, query=query)))
        record_written(uow, job, unit, dataclasses.replace(result, output=output.written), page)


def kind(settings: Settings) -> BulkGenerationKind:
    return BulkGenerationKind(concurrency=max(1, settings.llm_concurrency))

"""`pages.generate`: a landing page's intro and blocks from a semantic search for its query.

Started by `POST /api/ai-pages/pages/<id>/regenerate/`; the job's slot (its `project_id`) is
the page's aggregate id, so one generation per page runs at a time. One unit ("page"): load
the page and its saved query's text (the title when it has none), embed it and search the
organization's products (by meaning and by words), and write the page with the offline
page writer or the text model the job names, outside any transaction. `record` keeps
what was written and charges its tokens once (reference "<job id>:page"), in the unit of
work of the unit's outcome, so a unit delivered twice is neither recorded nor charged twice.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.embeddings.cached import embed_query
from adapters.embeddings.factory import embedder_for
from adapters.embeddings.organization import OrganizationEmbedders
from adapters.llm.errors import ProviderError
from commands.billing.accounts import ChargeUsage, charge_usage
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.pages.landing import (
    GENERATE_KIND,
    RecordPageGeneration,
    page_parameter,
    record_page_generation,
)
from commands.pages.page_copy import model_copy, writer_parameters
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from domain.errors import DomainError, InvalidCommandError
from domain.generation.reference import TEMPLATE_MODEL, TEMPLATE_PROVIDER
from domain.generation.template_writer import estimate_tokens
from domain.jobs.job import Job
from domain.pages.landing import PAGE_KIND, LandingPage
from domain.pages.page_writer import (
    MAX_PRODUCTS,
    PageProduct,
    WrittenPage,
    page_products,
    write_page,
)
from domain.search.numbering import numbered_id
from domain.search.saved_queries import QUERY_KIND, SavedQuery
from projections.search.queries import search_products

UNIT_ID = "page"
NO_BALANCE = "insufficient XCT balance"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Written:
    page: WrittenPage
    input_tokens: int
    output_tokens: int
    provider: str = TEMPLATE_PROVIDER
    model: str = TEMPLATE_MODEL


class PageGenerationKind:
    name = GENERATE_KIND
    conflicts = frozenset({GENERATE_KIND})
    concurrency = 4
    ack_wait = 30.0
    max_attempts = 3

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        number = page_parameter(parameters)
        return {"page": number, **writer_parameters(parameters)}

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        number = int(job.parameters["page"])
        if job.project_id != numbered_id(job.org_id, PAGE_KIND, number):
            raise InvalidCommandError(
                "a pages.generate job is started by POST /api/ai-pages/pages/<id>/regenerate/")
        yield Unit(id=UNIT_ID, data={"page": number})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        number = int(job.parameters["page"])
        try:
            title, query = await asyncio.to_thread(_page_and_query, ctx, job.org_id, number)
            written = await write_for_query(ctx, job.org_id, title, query,
                                            writer_parameters(job.parameters))
        except (DomainError, ProviderError) as error:
            return UnitResult(status="failed", error=str(error))
        return UnitResult(detail={"products": len(written.page.product_skus),
                                  "provider": written.provider, "model": written.model},
                          output=written)

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        record_written(uow, job, unit, result, int(job.parameters["page"]))



def embedders_of(ctx: JobContext) -> OrganizationEmbedders:
    """The process's embedders (an organization's own OpenAI key first), made on first use."""
    made = _EMBEDDERS.get(id(ctx))
    if made is None:
        made = _EMBEDDERS[id(ctx)] = OrganizationEmbedders(embedder_for(ctx.settings),
                                                           ctx.settings)
    return made


_EMBEDDERS: dict[int, OrganizationEmbedders] = {}


async def write_for_query(ctx: JobContext, org_id: UUID, title: str, query: str,
                          writer: dict[str, str]) -> Written:
    """Search the organization's products for `query` (by meaning and by words) and write
    the page titled `title` from what is found, with the offline writer or the text model
    `writer` names (see `page_copy`); ProviderError when the model fails or is refused."""
    async with ctx.pool.connection() as conn:
        try:
            embedder = await embedders_of(ctx).for_org(conn, org_id)
            vector = await embed_query(conn, embedder, query)
        except Exception as error:  # the provider is down: the unit is retried
            raise RuntimeError(f"the query could not be embedded: {error}") from error
        hits = await search_products(conn, org_id, query, vector, limit=MAX_PRODUCTS)
    found = page_products([PageProduct(sku=h.sku, name=h.name, category=h.category, price=h.price)
                           for h in hits if h.sku])
    if writer["ai_provider"] == TEMPLATE_PROVIDER:
        page = write_page(title, query, found)
        return Written(page=page, input_tokens=estimate_tokens(query + title),
                       output_tokens=estimate_tokens(page.intro_copy))
    copy, answer = await model_copy(ctx, org_id, writer, title, query, found)
    return Written(page=write_page(title, query, found, intro=copy.intro_copy, body=copy.body),
                   input_tokens=answer.input_tokens, output_tokens=answer.output_tokens,
                   provider=writer["ai_provider"], model=writer["ai_model"])


def record_written(uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult,
                   page: int | Callable[[], int]) -> None:
    """Keep what `run` wrote on page `page` (or on the page `page()` makes) and charge it
    once, with the unit's outcome; the unit failed (nothing made, nothing charged) when the
    balance cannot pay."""
    assert job.org_id is not None
    written = result.output
    if result.status != "succeeded" or not isinstance(written, Written):
        record_result(job, unit, dataclasses.replace(result, status="failed", output=None))
        return
    account = uow.get_existing(BillingAccount, billing_account_id(job.org_id), "billing account")
    cost = account.quote(written.input_tokens + written.output_tokens, written.provider,
                         written.model)
    if not account.can_afford(cost):
        record_result(job, unit, dataclasses.replace(
            result, status="failed", error=NO_BALANCE, output=None))
        return
    number = page if isinstance(page, int) else page()
    record_page_generation(uow, RecordPageGeneration(org_id=job.org_id, number=number,
                                                     page=written.page))
    charge_usage(uow, ChargeUsage(
        org_id=job.org_id, provider=written.provider, model=written.model,
        input_tokens=written.input_tokens, output_tokens=written.output_tokens,
        purpose=job.kind, reference_id=f"{job.id}:{unit.id}"))
    record_result(job, unit, dataclasses.replace(
        result, cost=Decimal(cost), output=None, detail={**result.detail, "page": number}))


def _page_and_query(ctx: JobContext, org_id: UUID, number: int) -> tuple[str, str]:
    uow = UnitOfWork(ctx.store)
    page = uow.get(LandingPage, numbered_id(org_id, PAGE_KIND, number))
    page.check_is_live(org_id)
    if page.query is None:
        return page.title, page.title
    query = uow.get(SavedQuery, numbered_id(org_id, QUERY_KIND, page.query))
    return page.title, query.text if query.live and query.org_id == org_id else page.title


KIND = PageGenerationKind()

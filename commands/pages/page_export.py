"""`pages.export`: a landing page rendered with the design system and stored as a file.

Started by `POST /api/ai-pages/pages/<id>/export/`; the export's id is the job's. One unit
("file"): read the page, its products and the design system, render the chosen format and
put the file in the file store under `<org>/exports/<job id>.<extension>`. Rendering writes
no event, so a unit delivered twice only renders the same file again; the unit's outcome
names the file, which is what the download link serves.
"""

import asyncio
import dataclasses
from typing import Any
from uuid import UUID

from adapters.files.store import file_store_for
from adapters.page_export.render import PageToExport, product_card, render
from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.jobs.lifecycle import CreateJob, create_job
from commands.pages.landing import page_parameter
from commands.unit_of_work import UnitOfWork
from domain.errors import InvalidCommandError, NotFoundError
from domain.jobs.job import Job
from domain.pages.exports import EXPORT_KIND, FORMATS, check_format, export_file_name
from domain.pages.landing import PAGE_KIND, LandingPage
from domain.search.numbering import numbered_id
from projections.identity.queries import get_organization
from projections.pages.landing_queries import get_landing_page
from projections.pages.queries import get_design_system
from projections.search.product_cards import products_by_sku

UNIT_ID = "file"


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartPageExport:
    org_id: UUID
    number: int
    file_format: str
    links_base: str
    """Where the exported page's tracking snippet points: the API's public address."""
    job_id: UUID
    created_by: UUID | None = None


def start_page_export(uow: UnitOfWork, cmd: StartPageExport) -> UUID:
    """Queue a `pages.export` job for the page (exports of a page may run side by side);
    NotFoundError when the organization has no such page."""
    aggregate_id = numbered_id(cmd.org_id, PAGE_KIND, cmd.number)
    uow.get(LandingPage, aggregate_id).check_is_live(cmd.org_id)
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=aggregate_id, job_id=cmd.job_id, kind=EXPORT_KIND,
        parameters={"page": cmd.number, "format": check_format(cmd.file_format),
                    "links_base": _check_base(cmd.links_base)},
        conflicts=frozenset(), created_by=cmd.created_by))
    return cmd.job_id


def _check_base(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise InvalidCommandError("links_base must be an http(s) address")
    return value.rstrip("/")


def export_key(org_id: UUID, job_id: UUID, file_format: str) -> str:
    return f"{org_id}/exports/{job_id}.{FORMATS[file_format][0]}"


class PageExportKind:
    name = EXPORT_KIND
    conflicts: frozenset[str] = frozenset()
    concurrency = 2
    ack_wait = 30.0
    max_attempts = 3

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        number = page_parameter(parameters)
        return {"page": number, "format": check_format(parameters.get("format")),
                "links_base": _check_base(parameters.get("links_base"))}

    async def plan(self, ctx: JobContext, job: JobSpec) -> Any:
        number = int(job.parameters["page"])
        if job.project_id != numbered_id(job.org_id, PAGE_KIND, number):
            raise InvalidCommandError(
                "a pages.export job is started by POST /api/ai-pages/pages/<id>/export/")
        yield Unit(id=UNIT_ID, data={"page": number})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        file_format = str(job.parameters["format"])
        try:
            page = await _page_to_export(ctx, job.org_id, int(job.parameters["page"]),
                                         str(job.parameters["links_base"]))
        except NotFoundError as error:
            return UnitResult(status="failed", error=str(error))
        content = await asyncio.to_thread(render, page, file_format)
        key = export_key(job.org_id, job.id, file_format)
        stored = await asyncio.to_thread(file_store_for(ctx.settings).put, key, [content])
        return UnitResult(detail={"key": key, "size": stored.size, "format": file_format,
                                  "file_name": export_file_name(page.slug, file_format)})

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        record_result(job, unit, result)


async def _page_to_export(ctx: JobContext, org_id: UUID, number: int,
                          links_base: str) -> PageToExport:
    async with ctx.pool.connection() as conn:
        row = await get_landing_page(conn, org_id, number)
        if row is None:
            raise NotFoundError("page not found")
        design = await get_design_system(conn, org_id)
        skus = [sku for block in row.blocks if block.get("type") == "product_grid"
                for sku in block.get("props", {}).get("product_skus", [])]
        products = await products_by_sku(conn, org_id, skus)
        organization = await get_organization(conn, org_id)
    tracking = None
    if organization is not None:
        tracking = (f"{links_base}/api/ai-pages/public/pages/"
                    f"{organization.slug}/{row.slug}/")
    language = str(organization.settings.get("language") or "en") if organization else "en"
    return PageToExport(
        slug=row.slug, title=row.title, language=language[:16], blocks=row.blocks,
        tokens=design.tokens if design is not None else {}, tracking_url=tracking,
        products={sku: product_card(p.name, p.price, p.url, p.image_url)
                  for sku, p in products.items()})


KIND = PageExportKind()

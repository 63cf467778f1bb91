"""`/api/v1/ai-pages/pages/<id>/export` (≡ `/api/ai-pages/pages/<id>/export/`) and
`/api/v1/ai-pages/exports/<id>`: a page rendered into a file by a job, and its status with a
download link that copydesk signs (HMAC over the path, the organization and the expiry) and
serves itself, valid for 24 hours, whatever the file store."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Stream

from adapters.files.store import file_store_for
from adapters.settings import Settings
from adapters.signed_links import is_valid, signed_query
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices, services_of
from api.search.numbers import check_number
from api.stored_files import stored_file
from commands.pages.page_export import StartPageExport, start_page_export
from domain.errors import ForbiddenError, NotFoundError
from domain.pages.exports import EXPORT_KIND, FORMATS, LINK_SECONDS, export_status
from projections.jobs.queries import JobRow, get_job, list_job_items

EXPORTS_PATH = "/api/v1/ai-pages/exports"
PURPOSE = "page-export"


class ExportIn(msgspec.Struct):
    format: Annotated[str, msgspec.Meta(max_length=16)]


class ExportQueued(msgspec.Struct):
    id: UUID
    page: int
    format: str
    status: str


class ExportOut(msgspec.Struct, omit_defaults=True):
    id: UUID
    page: int
    format: str
    status: str
    created_at: datetime
    completed_at: datetime | None = None
    download_url: str | None = None
    """Present only when the status is ready."""
    expires_at: datetime | None = None
    error: str | None = None


def _download_path(export_id: UUID) -> str:
    return f"{EXPORTS_PATH}/{export_id}/download"


def _signed_path(export_id: UUID, org_id: UUID) -> str:
    return f"{_download_path(export_id)}?org={org_id}"


def download_link(settings: Settings, export_id: UUID, org_id: UUID) -> tuple[str, datetime]:
    query, expires = signed_query(settings.secret_key, PURPOSE, _signed_path(export_id, org_id),
                                  LINK_SECONDS)
    url = f"{settings.links_base()}{_signed_path(export_id, org_id)}&{query}"
    return url, datetime.fromtimestamp(expires, UTC)


async def _link(services: AppServices, export_id: UUID, org_id: UUID) -> tuple[str, datetime]:
    """Where the file is downloaded for the next 24 hours: a presigned URL of the bucket when
    the file store is S3, else copydesk's own signed link."""
    detail = await _file_of(services, org_id, export_id)
    if detail.get("key"):
        expires = datetime.now(UTC) + timedelta(seconds=LINK_SECONDS)
        presigned = file_store_for(services.settings).presigned_url(  # no call: a signature
            str(detail["key"]), LINK_SECONDS, file_name=str(detail["file_name"]),
            content_type=_content_type(str(detail["format"])))
        if presigned is not None:
            return presigned, expires
    return download_link(services.settings, export_id, org_id)


def _content_type(file_format: str) -> str:
    media_type = FORMATS[file_format][1]
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


@post("/api/v1/ai-pages/pages/{page_id:int}/export", operation_id="export_page",
      tags=["pages"], status_code=202, summary="Request export", dependencies=AUTHENTICATED)
async def request_export(request: Request[Any, Any, Any], principal: Caller, page_id: int,
                         data: ExportIn) -> ExportQueued:
    """Queue a job rendering the page with the design system as tsx, html, json or a zip of
    the three; the tracking snippet is put into tsx and html."""
    number = check_number(page_id, "page")
    job_id = uuid4()
    await run_command(request, principal, start_page_export, StartPageExport(
        org_id=principal.org_id, number=number, file_format=data.format,
        links_base=services_of(request).settings.links_base(), job_id=job_id,
        created_by=principal.user_id), wait_for=("jobs",))
    return ExportQueued(id=job_id, page=number, format=data.format, status="queued")


async def _export_job(services: AppServices, org_id: UUID, export_id: UUID) -> JobRow:
    async with services.pool.connection() as conn:
        row = await get_job(conn, org_id, export_id)
    if row is None or row.job_type != EXPORT_KIND:
        raise NotFoundError("export not found")
    return row


async def _file_of(services: AppServices, org_id: UUID, export_id: UUID) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        items, _ = await list_job_items(conn, org_id, export_id, page_size=1)
    done = [item for item in items if item.status == "succeeded"]
    return done[0].detail if done else {}


@get(EXPORTS_PATH + "/{export_id:uuid}", operation_id="get_export", tags=["pages"],
     summary="Get export status / download", dependencies=AUTHENTICATED)
async def read_export(services: AppServices, principal: Caller, export_id: UUID) -> ExportOut:
    """The export's status (queued, building, ready, error); when ready, a signed link to the
    file, valid for 24 hours."""
    row = await _export_job(services, principal.org_id, export_id)
    status = export_status(row.status, row.failed)
    out = ExportOut(id=row.id, page=int(row.parameters["page"]),
                    format=str(row.parameters["format"]), status=status,
                    created_at=row.created_at, completed_at=row.completed_at)
    if status == "ready":
        out.download_url, out.expires_at = await _link(services, row.id, principal.org_id)
    elif status == "error":
        out.error = row.error or "the export failed"
    return out


@get(EXPORTS_PATH + "/{export_id:uuid}/download", operation_id="download_export",
     tags=["pages"], summary="Download an export (signed link)", security=[],
     media_type="application/octet-stream")
async def download_export(
    services: AppServices, export_id: UUID,
    org: Annotated[UUID, Parameter(description="the organization the link was made for")],
    expires: Annotated[int, Parameter(ge=0, le=2**40)],
    signature: Annotated[str, Parameter(max_length=128)],
) -> Stream:
    """The exported file, for whoever holds a link `GET /exports/<id>` gave: 403 when the
    signature is not copydesk's or the link has expired. (The file's type goes in a header:
    the route's `media_type` would override a stream's own.)"""
    if not is_valid(services.settings.secret_key, PURPOSE, _signed_path(export_id, org),
                    expires, signature):
        raise ForbiddenError("the download link is invalid or has expired")
    await _export_job(services, org, export_id)
    detail = await _file_of(services, org, export_id)
    if not detail.get("key"):
        raise NotFoundError("the export has no file")
    headers = {"Content-Disposition": f'attachment; filename="{detail["file_name"]}"',
               "Content-Type": _content_type(str(detail["format"]))}
    return await stored_file(services.settings, str(detail["key"]), headers,
                             missing="the export's file is gone")


ROUTES = [request_export, read_export, download_export]

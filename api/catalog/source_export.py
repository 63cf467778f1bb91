"""`GET /api/v1/projects/{id}/sources/{source_id}/export`: a source's products as a file the
store can import again.

A file source gives its original file back (same columns, rows, encoding and line endings)
with the copy written for its items merged into the platform's own columns; a manual source
gives copydesk's canonical CSV. By default every item with copy is merged (`status_filter=all`);
`status_filter=approved` (or another status) merges only the items in that status. The file is
assembled in a temporary file (on disk past 1 MB), then streamed.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator, Mapping
from typing import IO, Annotated
from uuid import UUID

from litestar import get
from litestar.params import Parameter
from litestar.response import Stream

from adapters.catalog_files import write_canonical_csv, write_export
from adapters.catalog_files.canonical_csv import ItemContent
from adapters.files.store import file_store_for
from api.auth import AUTHENTICATED, Caller
from api.catalog.csv_downloads import CSV, charset_of
from api.catalog.items import check_status_filter
from api.catalog.projects import PROJECT_PATH, find_project
from api.dependencies import AppServices
from api.services import Services
from domain.catalog.records import ProductRecord
from domain.errors import NotFoundError
from projections.catalog.queries import ItemFilter, ItemRow, SourceRow, get_source, iter_items

ALL = "all"
CHUNK = 1 << 16
SPOOL_BYTES = 1 << 20


def _record(item: ItemRow) -> ProductRecord:
    return ProductRecord(external_id=item.external_id, item_type=item.item_type,
                         parent_external_id=item.parent_external_id, name=item.name,
                         source_data=item.source_data, line=0)


def _is_xml(filename: str) -> bool:
    return filename.lower().endswith(".xml")


def _merge_file(services: Services, source: SourceRow,
                generated: Mapping[str, Mapping[str, str]], out: IO[bytes]) -> str:
    """Write the merged file to `out`; the charset of a CSV one (the original's)."""
    with file_store_for(services.settings).open(source.file_key) as original:
        write_export(source.platform, original, out, filename=source.filename,  # type: ignore[arg-type]
                     generated=generated)
    out.seek(0)
    return "" if _is_xml(source.filename) else charset_of(out)  # type: ignore[arg-type]


async def _chunks(out: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        out.seek(0)
        while chunk := await asyncio.to_thread(out.read, CHUNK):
            yield chunk
    finally:
        out.close()


@get(PROJECT_PATH + "/sources/{source_id:uuid}/export", operation_id="export_source",
     media_type="text/csv",
     tags=["sources"], summary="Export source as CSV", dependencies=AUTHENTICATED)
async def export_source(
    services: AppServices, principal: Caller, project_id: UUID, source_id: UUID,
    status_filter: Annotated[str, Parameter(
        description="merge only items in this status; 'all': every item with copy")] = ALL,
) -> Stream:
    """The source's file with the generated copy merged back, as a download named after the
    original file, in its own encoding (a manual source: the canonical CSV, UTF-8 with a
    BOM)."""
    await find_project(services, principal.org_id, project_id)
    status = None if status_filter == ALL else check_status_filter(status_filter, "status_filter")
    item_filter = ItemFilter(status=status, source_id=source_id)
    async with services.pool.connection() as conn:
        source = await get_source(conn, principal.org_id, project_id, source_id)
        if source is None:
            raise NotFoundError("data source not found")
        items: list[ItemRow] = []
        async for chunk in iter_items(conn, principal.org_id, project_id, item_filter):
            items.extend(chunk)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by _chunks)
    try:
        if source.kind == "file" and source.file_key:
            generated = {i.external_id: i.generated_content for i in items if i.generated_content}
            charset = await asyncio.to_thread(_merge_file, services, source, generated, out)
            filename = source.filename
        else:
            rows: list[ItemContent] = [(_record(i), i.generated_content, i.status) for i in items]
            await asyncio.to_thread(write_canonical_csv, rows, out)  # type: ignore[arg-type]
            charset, filename = "utf-8", f"source-{source.id}.csv"
    except BaseException:
        out.close()
        raise
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not charset:
        return Stream(_chunks(out), media_type="application/xml", headers=headers)
    return Stream(_chunks(out), media_type=CSV, encoding=charset, headers=headers)


ROUTES = [export_source]

"""File sources: upload a store export (imported by a `catalog.import` job), detect a file's
columns, and export a source's file again with the generated copy merged back.

* `POST …/sources/file` checks the file's header and first product before anything is kept
  (400 naming line and column, 413 past `max_upload_mb`), stores the original under
  `<org>/<source>/<filename>`, registers the source and queues its import job in one command,
  then waits (up to `import_wait_seconds`) for the job: 200 with the source once it is
  `completed` or `failed`, else 202 with the source still `processing` (its `config.job_id`
  is the job to follow).
* `POST …/sources/detect-columns` answers one element per header of the file:
  `{"header", "field", "confidence", "samples"}` — `field` the canonical field the column
  feeds (null when none), `confidence` 0..1, `samples` up to three non-empty values.
"""

import asyncio
import json
import re
from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, Response, post
from litestar.exceptions import ValidationException
from litestar.openapi.spec import OpenAPIType, Schema

from adapters.catalog_files import detect_columns, read_catalog, sniff_headers
from adapters.files.store import FileStore, file_store_for, read_chunks
from api.auth import AUTHENTICATED, Caller
from api.catalog.project_schemas import SourceOut
from api.catalog.projects import PROJECT_PATH, find_project
from api.commanding import run_command
from api.dependencies import AppServices
from api.forms import form_operation
from api.services import Services
from api.text_rules import json_problem
from api.uploads import Upload, read_upload
from commands.catalog.sources import RegisterFileSource
from commands.imports.file_import import StartFileImport, start_file_import
from domain.catalog.ids import import_job_id
from domain.errors import MalformedInputError, NotFoundError
from projections.catalog.queries import SourceRow, get_source
from projections.jobs.queries import get_job

WAIT_FOR = ("catalog", "jobs")
POLL_SECONDS = 0.2
SAMPLES = 3
STOPPED_JOB = ("failed", "cancelled")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
FILE_FIELD = {"file": Schema(type=OpenAPIType.STRING, format="binary")}  # type: ignore[arg-type]


class DetectedColumn(msgspec.Struct):
    header: str
    field: str | None
    confidence: float
    samples: list[str]


def _max_bytes(services: Services) -> int:
    return int(services.settings.max_upload_mb * (1 << 20))


def safe_filename(name: str) -> str:
    """The file's own name reduced to letters, digits, dots, dashes and underscores."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    safe = _UNSAFE.sub("_", base).lstrip("._")[-120:]
    return safe or "catalog.csv"


def _column_mapping(value: str | None) -> dict[str, str] | None:
    if value is None or not value.strip():
        return None
    try:
        mapping = json.loads(value)
    except (ValueError, RecursionError):
        raise ValidationException("column_mapping must be a JSON object") from None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise ValidationException("column_mapping must map file headers to field names (text)")
    problem = json_problem({"column_mapping": mapping})
    if problem:
        raise ValidationException(problem)
    return mapping


def check_catalog(platform: str, upload: Upload, mapping: dict[str, str] | None,
                  max_bytes: int) -> None:
    """MalformedInputError/InvalidCommandError unless the file's header fits the platform and
    its first product reads; the file is left at its start."""
    try:
        records = read_catalog(platform, upload.file, filename=upload.filename,
                               column_mapping=mapping, max_bytes=max_bytes, link_variants=False)
        try:
            if next(records, None) is None:
                raise MalformedInputError("the file holds no products")
        finally:
            records.close()  # type: ignore[attr-defined]
    finally:
        upload.file.seek(0)


async def _store(store: FileStore, key: str, upload: Upload) -> None:
    await asyncio.to_thread(store.put, key, read_chunks(upload.file))


@post(PROJECT_PATH + "/sources/file", operation_id="add_file_source", tags=["sources"],
      status_code=200, summary="Upload file data source", dependencies=AUTHENTICATED,
      request_max_body_size=None, operation_class=form_operation({
          **FILE_FIELD, "column_mapping": Schema(
              type=OpenAPIType.STRING, description="optional: JSON object, file header → field")},
          required=("file",)))
async def add_file_source(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
) -> Response[SourceOut]:
    """Import a store export (CSV or XML of the project's platform) as a new source."""
    project = await find_project(services, principal.org_id, project_id)
    upload = await read_upload(request, max_bytes=_max_bytes(services))
    try:
        mapping = _column_mapping(upload.fields.get("column_mapping"))
        await asyncio.to_thread(check_catalog, project.platform, upload, mapping,
                                _max_bytes(services))
        source_id = uuid4()
        filename = safe_filename(upload.filename)
        key = f"{principal.org_id}/{source_id}/{filename}"
        store = file_store_for(services.settings)
        await _store(store, key, upload)
    finally:
        upload.close()
    try:
        await run_command(request, principal, start_file_import, StartFileImport(
            source=RegisterFileSource(
                org_id=principal.org_id, project_id=project_id, source_id=source_id,
                name=filename, platform=project.platform, filename=filename, file_key=key,
                column_mapping=mapping or {}),
            created_by=principal.user_id), wait_for=WAIT_FOR)
    except BaseException:
        await asyncio.to_thread(store.delete, key)
        raise
    source, finished = await _wait_for_import(services, principal.org_id, project_id, source_id)
    return Response(SourceOut.of(source), status_code=200 if finished else 202)


async def _wait_for_import(services: Services, org_id: UUID, project_id: UUID,
                           source_id: UUID) -> tuple[SourceRow, bool]:
    """The source once its import has ended (True), or as it is when the wait runs out. A job
    that completed always ends its source (the catalog read model may show it a little later);
    one that failed or was cancelled outside its own `record` may leave the source
    `processing`: the source then gets the consistency wait to show an end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + services.settings.import_wait_seconds
    stopped_at: float | None = None
    while True:
        async with services.pool.connection() as conn:
            source = await get_source(conn, org_id, project_id, source_id)
            if source is None:
                raise NotFoundError("data source not found")
            if source.status != "processing":
                return source, True
            if stopped_at is None:
                job = await get_job(conn, org_id, import_job_id(source_id))
                if job is not None and job.status in STOPPED_JOB:
                    stopped_at = loop.time()
        now = loop.time()
        if stopped_at is not None and now - stopped_at > services.settings.consistency_wait_seconds:
            return source, True
        if now >= deadline:
            return source, False
        await asyncio.sleep(POLL_SECONDS)


def _detect(platform: str, upload: Upload) -> list[DetectedColumn]:
    headers, rows = sniff_headers(upload.file, upload.filename)
    found = detect_columns(platform, headers, rows)
    columns = []
    for position, header in enumerate(headers):
        values = [row[position] for row in rows if position < len(row) and row[position].strip()]
        columns.append(DetectedColumn(header=header, field=found.mapping.get(header),
                                      confidence=round(found.confidence.get(header, 0.0), 3),
                                      samples=[v[:200] for v in values[:SAMPLES]]))
    return columns


@post(PROJECT_PATH + "/sources/detect-columns", operation_id="detect_columns",
      tags=["sources"], status_code=200, summary="Detect CSV column mappings",
      dependencies=AUTHENTICATED, request_max_body_size=None,
      operation_class=form_operation(FILE_FIELD, required=("file",)))
async def detect_file_columns(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, project_id: UUID,
) -> list[DetectedColumn]:
    """Which canonical field each column of the file feeds, for the project's platform (the
    mapping to send back as `column_mapping`, after a person has checked it)."""
    project = await find_project(services, principal.org_id, project_id)
    upload = await read_upload(request, max_bytes=_max_bytes(services))
    try:
        return await asyncio.to_thread(_detect, project.platform, upload)
    finally:
        upload.close()


ROUTES = [add_file_source, detect_file_columns]

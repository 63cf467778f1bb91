"""`GET /api/v1/projects/{id}/export`: a project's content as CSV, streamed in chunks.

Magento 2 projects get Magento's own import columns; the others a generic set. Text
written for an item (its generated or reviewed version) is exported; the name and SKU fall
back to the product's own.
"""

import csv
import io
import re
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any
from uuid import UUID

from litestar import get
from litestar.params import Parameter
from litestar.response import Stream

from api.auth import AUTHENTICATED, Caller
from api.catalog.csv_downloads import BOM, CSV
from api.catalog.items import check_status_filter
from api.catalog.projects import PROJECT_PATH, find_project
from api.dependencies import AppServices
from projections.catalog.queries import ItemFilter, ItemRow, iter_items

GENERIC_COLUMNS = ("id", "external_id", "item_type", "parent", "name", "sku",
                   "short_description", "long_description", "meta_title", "meta_description",
                   "status", "confidence_score")
MAGENTO_COLUMNS = ("sku", "name", "description", "short_description", "meta_title",
                   "meta_description", "url_key", "product_type")
MAGENTO_TYPES = {"parent": "configurable", "variant": "simple", "simple": "simple"}
ALL = "all"


def _name(item: ItemRow) -> str:
    return item.generated_content.get("name") or item.name


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def generic_row(item: ItemRow) -> list[object]:
    content = item.generated_content
    return [item.id, item.external_id, item.item_type, item.parent_external_id or "", _name(item),
            item.sku or "", content.get("short_description", ""),
            content.get("long_description", ""), content.get("meta_title", ""),
            content.get("meta_description", ""), item.status,
            "" if item.confidence_score is None else item.confidence_score]


def magento_row(item: ItemRow) -> list[object]:
    content = item.generated_content
    platform_fields = item.source_data.get("platform_fields")
    own_type = platform_fields.get("product_type") if isinstance(platform_fields, dict) else None
    return [item.sku or item.external_id, _name(item), content.get("long_description", ""),
            content.get("short_description", ""), content.get("meta_title", ""),
            content.get("meta_description", ""), _text(item.source_data.get("url_key")),
            _text(own_type) or MAGENTO_TYPES.get(item.item_type, "simple")]


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _filename(project_name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", project_name).strip("-").lower()[:60]
    return f"{slug or 'project'}-export.csv"


@get(PROJECT_PATH + "/export", operation_id="export_project_content", tags=["content"],
     media_type="text/csv",
     summary="Export project content CSV", dependencies=AUTHENTICATED)
async def export_project(
    services: AppServices, principal: Caller, project_id: UUID,
    status_filter: Annotated[str, Parameter(
        description="a status, 'excluded', or 'all'")] = "approved",
    source_id: UUID | None = None,
    search: Annotated[str | None, Parameter(max_length=200)] = None,
) -> Stream:
    """The matching items as CSV (`text/csv`, UTF-8 with a BOM), in import order."""
    project = await find_project(services, principal.org_id, project_id)
    status = None if status_filter == ALL else check_status_filter(status_filter,
                                                                   "status_filter")
    magento = project.platform == "magento2"
    columns = MAGENTO_COLUMNS if magento else GENERIC_COLUMNS
    to_row: Callable[[ItemRow], list[object]] = magento_row if magento else generic_row
    item_filter = ItemFilter(status=status, source_id=source_id, search=search)

    async def lines() -> AsyncIterator[str]:
        yield BOM + _csv([list(columns)])
        async with services.pool.connection() as conn:
            async for chunk in iter_items(conn, principal.org_id, project_id, item_filter):
                yield _csv([to_row(item) for item in chunk])

    return Stream(lines(), media_type=CSV, encoding="utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_filename(project.name)}"'})


ROUTES = [export_project]

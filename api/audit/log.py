"""`GET /api/v1/audit`: every event of the organization, newest first (admin)."""

from typing import Annotated

import msgspec
from litestar import get
from litestar.params import Parameter

from api.auth import AUTHENTICATED, Caller
from api.dependencies import AppServices
from api.guards import admin_only
from api.paging import MAX_PAGE, MAX_PAGE_SIZE
from projections.audit.projection import AuditEntry, list_audit


class AuditPage(msgspec.Struct):
    entries: list[AuditEntry]
    total: int
    page: int
    page_size: int


@get("/api/v1/audit", operation_id="list_audit", tags=["audit"], summary="Audit log",
     dependencies=AUTHENTICATED, guards=[admin_only])
async def audit(
    services: AppServices,
    principal: Caller,
    page: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
    event_type: str | None = None,
) -> AuditPage:
    async with services.pool.connection() as conn:
        entries, total = await list_audit(conn, principal.org_id, page=page, page_size=page_size,
                                          event_type=event_type)
    return AuditPage(entries=entries, total=total, page=page, page_size=page_size)


ROUTES = [audit]

"""`/api/v1/organization`: the caller's organization, and changing its details (admin)."""

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, get, patch

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from api.services import Services
from commands.identity.organization import ChangeOrganizationDetails, change_organization_details
from domain.errors import NotFoundError
from projections.identity.queries import OrganizationRow, get_organization


class OrganizationResponse(msgspec.Struct):
    id: UUID
    name: str
    slug: str
    settings: dict[str, Any]
    address: str | None
    phone_number: str | None
    tax_id: str | None
    billing_email: str | None
    byok_enabled: bool
    has_anthropic_key: bool
    has_deepseek_key: bool
    has_google_key: bool
    enforce_2fa: bool
    created_at: datetime


class OrganizationUpdate(msgspec.Struct):
    """None (or absent) keeps a field; an empty string clears an optional one."""

    name: str | None = None
    settings: dict[str, Any] | None = None
    address: str | None = None
    phone_number: str | None = None
    tax_id: str | None = None
    billing_email: str | None = None
    enforce_2fa: bool | None = None


def organization_response(org: OrganizationRow) -> OrganizationResponse:
    return OrganizationResponse(
        id=org.id, name=org.name, slug=org.slug, settings=org.settings, address=org.address,
        phone_number=org.phone_number, tax_id=org.tax_id, billing_email=org.billing_email,
        byok_enabled=bool(org.ai_key_providers),
        has_anthropic_key="anthropic" in org.ai_key_providers,
        has_deepseek_key="deepseek" in org.ai_key_providers,
        has_google_key="google" in org.ai_key_providers,
        enforce_2fa=org.enforce_2fa, created_at=org.created_at,
    )


async def load_organization(services: Services, org_id: UUID) -> OrganizationRow:
    async with services.pool.connection() as conn:
        org = await get_organization(conn, org_id)
    if org is None:
        raise NotFoundError("organization not found")
    return org


@get("/api/v1/organization", operation_id="get_organization", tags=["organization"],
     summary="Get current organization", dependencies=AUTHENTICATED)
async def read_organization(
    services: AppServices,
    principal: Caller,
) -> OrganizationResponse:
    """The organization of the caller."""
    return organization_response(await load_organization(services, principal.org_id))


@patch("/api/v1/organization", operation_id="update_organization", tags=["organization"],
       summary="Update organization details", dependencies=AUTHENTICATED, guards=[admin_only])
async def update_organization(
    request: Request[Any, Any, Any],
    services: AppServices,
    principal: Caller,
    data: OrganizationUpdate,
) -> OrganizationResponse:
    """Change the given details of the caller's organization (admin)."""
    await run_command(request, principal, change_organization_details, ChangeOrganizationDetails(
        org_id=principal.org_id, actor_id=principal.actor_id, name=data.name,
        settings=data.settings, address=data.address, phone_number=data.phone_number,
        tax_id=data.tax_id, billing_email=data.billing_email, enforce_2fa=data.enforce_2fa,
    ), wait_for=("identity",))
    return organization_response(await load_organization(services, principal.org_id))


ROUTES = [read_organization, update_organization]

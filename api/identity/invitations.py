"""`/api/v1/invitations`: an admin invites someone by e-mail; the invitee validates and accepts.

The token of the link is made here and sent only in the e-mail; copydesk keeps its SHA-256.
Validate and accept are public: the token is the invitee's proof, and it names the
organization. Expired, revoked and used invitations answer 410; an unknown token (or one a
resend replaced) answers 404.
"""

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
import msgspec
from litestar import Request, get, post
from litestar.datastructures import CacheControlHeader

from adapters.passwords import hash_password, password_problem
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from api.principal import Principal
from api.services import Services
from commands.identity.invitations import (
    AcceptInvitation,
    CreateInvitation,
    ResendInvitation,
    RevokeInvitation,
    accept_invitation,
    create_invitation,
    resend_invitation,
    revoke_invitation,
)
from domain.errors import InvalidCommandError, NotFoundError
from domain.identity.invitation import NOT_FOUND, PENDING, token_digest
from projections.identity.invitation_queries import (
    InvitationRow,
    find_invitation_by_token,
    find_invitation_id,
    get_invitation,
    list_invitations,
)
from projections.identity.queries import get_organization

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
NO_STORE = CacheControlHeader(no_store=True)


class InvitationCreate(msgspec.Struct):
    email: str
    role: str = "member"


class InvitationAccept(msgspec.Struct):
    token: str
    password: str
    first_name: str | None = None
    last_name: str | None = None


class InvitationResponse(msgspec.Struct):
    """`status`: pending, accepted, revoked, or expired."""

    id: UUID
    email: str
    role: str
    status: str
    invited_by_email: str | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class InvitationValidation(msgspec.Struct):
    """`is_valid`: the invitation may be accepted now; otherwise `status` tells why not."""

    email: str
    organization_name: str
    role: str
    is_valid: bool
    status: str
    expires_at: datetime


class AcceptedInvitation(msgspec.Struct):
    """The user the invitation made: they sign in with this e-mail and their password."""

    user_id: UUID
    email: str
    role: str
    first_name: str | None
    last_name: str | None
    organization_id: UUID
    organization_name: str


def _response(row: InvitationRow) -> InvitationResponse:
    return InvitationResponse(
        id=row.id, email=row.email, role=row.role, status=row.status,
        invited_by_email=row.invited_by_email, created_at=row.created_at,
        expires_at=row.expires_at, accepted_at=row.accepted_at,
    )


async def _find(services: Services, org_id: UUID, invitation_id: UUID) -> InvitationRow:
    async with services.pool.connection() as conn:
        row = await get_invitation(conn, org_id, invitation_id)
    if row is None:
        raise NotFoundError(NOT_FOUND)
    return row


def _checked_token(token: str) -> str:
    """The token as sent; a blank or absurdly long one is not looked up at all."""
    if not token.strip() or len(token) > MAX_TOKEN_LENGTH:
        raise NotFoundError(NOT_FOUND)
    return token


@get("/api/v1/invitations", operation_id="list_invitations", tags=["invitations"],
     summary="List invitations", dependencies=AUTHENTICATED, guards=[admin_only])
async def read_invitations(services: AppServices, principal: Caller) -> list[InvitationResponse]:
    """Every invitation of the organization, in every state, newest first (admin)."""
    async with services.pool.connection() as conn:
        rows = await list_invitations(conn, principal.org_id)
    return [_response(row) for row in rows]


@post("/api/v1/invitations", operation_id="create_invitation", tags=["invitations"],
      status_code=200, summary="Create invitation", dependencies=AUTHENTICATED,
      guards=[admin_only])
async def invite(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    data: InvitationCreate,
) -> InvitationResponse:
    """Invite an e-mail to the organization (admin) and mail it the link; pending for 7 days.
    409 when a user already has the e-mail, or a pending invitation of this organization."""
    invitation_id = uuid4()
    await run_command(request, principal, create_invitation, CreateInvitation(
        org_id=principal.org_id, invitation_id=invitation_id, email=data.email, role=data.role,
        invited_by=principal.user_id, token=secrets.token_urlsafe(TOKEN_BYTES),
        public_url=services.settings.links_base(),
    ), wait_for=("identity",))
    return _response(await _find(services, principal.org_id, invitation_id))


@post("/api/v1/invitations/{invitation_id:uuid}/resend", operation_id="resend_invitation",
      tags=["invitations"], status_code=200, summary="Resend invitation email",
      dependencies=AUTHENTICATED, guards=[admin_only])
async def resend(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    invitation_id: UUID,
) -> InvitationResponse:
    """Mail a fresh link with a new expiry (admin); the previous link stops working. Only a
    pending (or expired) invitation; 409 for an accepted or revoked one."""
    await run_command(request, principal, resend_invitation, ResendInvitation(
        org_id=principal.org_id, invitation_id=invitation_id,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        public_url=services.settings.links_base(),
    ), wait_for=("identity",))
    return _response(await _find(services, principal.org_id, invitation_id))


@post("/api/v1/invitations/{invitation_id:uuid}/revoke", operation_id="revoke_invitation",
      tags=["invitations"], status_code=200, summary="Revoke invitation",
      dependencies=AUTHENTICATED, guards=[admin_only])
async def revoke(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    invitation_id: UUID,
) -> InvitationResponse:
    """Close a pending invitation so its link no longer works (admin); 409 if accepted."""
    await run_command(request, principal, revoke_invitation, RevokeInvitation(
        org_id=principal.org_id, invitation_id=invitation_id), wait_for=("identity",))
    return _response(await _find(services, principal.org_id, invitation_id))


@get("/api/v1/invitations/validate", operation_id="validate_invitation", tags=["invitations"],
     summary="Validate invitation token", cache_control=NO_STORE)
async def validate(services: AppServices, token: str) -> InvitationValidation:
    """What the link invites to, without signing in; 404 for an unknown or replaced token."""
    async with services.pool.connection() as conn:
        found = await find_invitation_by_token(conn, token_digest(_checked_token(token)))
    if found is None:
        raise NotFoundError(NOT_FOUND)
    row = found.invitation
    return InvitationValidation(
        email=row.email, organization_name=found.organization_name, role=row.role,
        is_valid=row.status == PENDING, status=row.status, expires_at=row.expires_at,
    )


@post("/api/v1/invitations/accept", operation_id="accept_invitation", tags=["invitations"],
      status_code=200, summary="Accept invitation")
async def accept(
    request: Request[Any, Any, Any], services: AppServices, data: InvitationAccept,
) -> AcceptedInvitation:
    """Create the invitee's user in the inviting organization with the invited e-mail and
    role, and close the invitation. 404 for an unknown token; 410 for an expired, revoked or
    already used invitation; 409 if the e-mail was registered meanwhile."""
    token = _checked_token(data.token)
    async with services.pool.connection() as conn:
        found = await find_invitation_id(conn, token_digest(token))
    if found is None:
        raise NotFoundError(NOT_FOUND)
    invitation_id, org_id = found
    problem = password_problem(data.password)
    if problem:
        raise InvalidCommandError(problem)
    password = data.password
    password_hash = await anyio.to_thread.run_sync(lambda: hash_password(password))
    user_id = uuid4()
    invitee = Principal(org_id=org_id, role="member", user_id=user_id)  # the events' actor
    user = (await run_command(request, invitee, accept_invitation, AcceptInvitation(
        invitation_id=invitation_id, token=token, user_id=user_id, password_hash=password_hash,
        first_name=data.first_name, last_name=data.last_name,
    ), wait_for=("identity",))).result
    async with services.pool.connection() as conn:
        org = await get_organization(conn, org_id)
    return AcceptedInvitation(
        user_id=user.id, email=user.email, role=user.role, first_name=user.first_name,
        last_name=user.last_name, organization_id=org_id,
        organization_name=org.name if org else "",
    )

ROUTES = [read_invitations, invite, resend, revoke, validate, accept]

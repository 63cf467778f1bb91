"""Queries over the invitations of the IdentityDirectory read model (`rm_identity`), and the
`invitation_tokens` support table written beside the events (the hash of each invitation's
current token)."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.log import SideWrite
from projections.identity.projection import SCHEMA

INVITATION_TOKEN_SQL = (
    "INSERT INTO invitation_tokens (invitation_id, org_id, token_hash) VALUES (%s, %s, %s)"
    " ON CONFLICT (invitation_id) DO UPDATE SET token_hash = EXCLUDED.token_hash"
)



@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationRow:
    """`status`: pending, accepted, revoked, or expired (pending past `expires_at`)."""

    id: UUID
    org_id: UUID
    email: str
    role: str
    status: str
    invited_by_email: str | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvitationByToken:
    invitation: InvitationRow
    organization_name: str


_INVITATION_COLUMNS = (
    "i.id, i.org_id, i.email, i.role, CASE WHEN i.status = 'pending' AND i.expires_at <= now()"
    " THEN 'expired' ELSE i.status END, u.email, i.created_at, i.expires_at, i.accepted_at"
)
_INVITATION_FROM = (
    f" FROM {SCHEMA}.invitations i"
    f" LEFT JOIN {SCHEMA}.users u ON u.id = i.invited_by AND u.org_id = i.org_id"
)
_INVITATION_SELECT = f"SELECT {_INVITATION_COLUMNS}{_INVITATION_FROM}"


def _invitation(row: Any) -> InvitationRow:
    return InvitationRow(id=row[0], org_id=row[1], email=row[2], role=row[3], status=row[4],
                         invited_by_email=row[5], created_at=row[6], expires_at=row[7],
                         accepted_at=row[8])


async def list_invitations(conn: AsyncConnection[Any], org_id: UUID) -> list[InvitationRow]:
    """Every invitation of the organization, whatever its status, newest first."""
    cur = await conn.execute(
        _INVITATION_SELECT + " WHERE i.org_id = %s ORDER BY i.created_at DESC, i.id", (org_id,))
    return [_invitation(row) for row in await cur.fetchall()]


async def get_invitation(
    conn: AsyncConnection[Any], org_id: UUID, invitation_id: UUID,
) -> InvitationRow | None:
    """The invitation with this id in this organization (None also when it is another's)."""
    cur = await conn.execute(_INVITATION_SELECT + " WHERE i.org_id = %s AND i.id = %s",
                             (org_id, invitation_id))
    row = await cur.fetchone()
    return _invitation(row) if row else None


def invitation_token_write(invitation_id: UUID, org_id: UUID, token_hash: str) -> SideWrite:
    """The hash of an invitation's current token (a new one replaces it), beside the events."""
    return SideWrite(INVITATION_TOKEN_SQL, (invitation_id, org_id, token_hash))


async def find_invitation_id(
    conn: AsyncConnection[Any], token_hash: str,
) -> tuple[UUID, UUID] | None:
    """(invitation id, organization id) of the invitation whose current token has this hash.
    The token is the caller's proof, so this lookup is not bounded to an organization known
    beforehand; `invitation_tokens` is written with the events, so it is never behind them."""
    cur = await conn.execute(
        "SELECT invitation_id, org_id FROM invitation_tokens WHERE token_hash = %s",
        (token_hash,))
    row = await cur.fetchone()
    return (row[0], row[1]) if row else None


async def find_invitation_by_token(
    conn: AsyncConnection[Any], token_hash: str,
) -> InvitationByToken | None:
    """The invitation whose current token has this hash, with its organization's name."""
    cur = await conn.execute(
        f"SELECT o.name, {_INVITATION_COLUMNS}{_INVITATION_FROM}"
        " JOIN invitation_tokens t ON t.invitation_id = i.id AND t.org_id = i.org_id"
        f" JOIN {SCHEMA}.organizations o ON o.id = i.org_id WHERE t.token_hash = %s",
        (token_hash,))
    row = await cur.fetchone()
    if row is None:
        return None
    return InvitationByToken(invitation=_invitation(row[1:]), organization_name=row[0])

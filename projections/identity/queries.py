"""Queries over the IdentityDirectory read model (`rm_identity`), always within one org.

Besides the read model, sign-in needs support tables written beside the events: `credentials`
(password and API-key hashes) and `api_key_usage` (when a key was last used). This module holds
their SQL; commands write them through the `SideWrite`s it builds. Invitations are read in
`invitation_queries`.
"""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.log import SideWrite
from projections.identity.projection import SCHEMA

_CREDENTIAL = ("INSERT INTO credentials (subject_id, kind, secret_hash) VALUES (%s, '{}', %s)"
               " ON CONFLICT (subject_id, kind) DO UPDATE SET secret_hash = EXCLUDED.secret_hash,"
               " updated_at = now()")
PASSWORD_SQL = _CREDENTIAL.format("password")
API_KEY_SQL = _CREDENTIAL.format("api_key")
_ORG_COLUMNS = (
    "id, name, slug, settings, address, phone_number, tax_id, billing_email, enforce_2fa,"
    " created_at, ai_key_fingerprints"
)
_USER_COLUMNS = (
    "id, org_id, email, first_name, last_name, phone_number, role, is_active, is_super_admin,"
    " created_at, last_login_at, two_factor_enabled, two_factor_method"
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrganizationRow:
    id: UUID
    name: str
    slug: str
    settings: dict[str, Any]
    address: str | None
    phone_number: str | None
    tax_id: str | None
    billing_email: str | None
    enforce_2fa: bool
    created_at: datetime
    ai_key_providers: tuple[str, ...] = ()
    """Providers the organization has its own key for (BYOK)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRow:
    id: UUID
    org_id: UUID
    email: str
    first_name: str | None
    last_name: str | None
    phone_number: str | None
    role: str
    is_active: bool
    is_super_admin: bool
    created_at: datetime
    last_login_at: datetime | None
    two_factor_enabled: bool = False
    two_factor_method: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiKeyRow:
    id: UUID
    name: str
    is_active: bool
    last_used_at: datetime | None
    created_at: datetime
    scope: str = "all"


@dataclasses.dataclass(frozen=True, kw_only=True)
class LoginAccount:
    """What sign-in needs to know of the account an e-mail names (hash kept out of logs)."""

    user_id: UUID
    org_id: UUID
    role: str
    is_active: bool
    password_hash: str | None = dataclasses.field(repr=False)


def _organization(row: Any) -> OrganizationRow:
    return OrganizationRow(
        id=row[0], name=row[1], slug=row[2], settings=dict(row[3] or {}), address=row[4],
        phone_number=row[5], tax_id=row[6], billing_email=row[7], enforce_2fa=row[8],
        created_at=row[9], ai_key_providers=tuple(sorted(row[10] or {})),
    )


def _user(row: Any) -> UserRow:
    return UserRow(
        id=row[0], org_id=row[1], email=row[2], first_name=row[3], last_name=row[4],
        phone_number=row[5], role=row[6], is_active=row[7], is_super_admin=row[8],
        created_at=row[9], last_login_at=row[10], two_factor_enabled=row[11],
        two_factor_method=row[12],
    )


async def get_organization(conn: AsyncConnection[Any], org_id: UUID) -> OrganizationRow | None:
    cur = await conn.execute(
        f"SELECT {_ORG_COLUMNS} FROM {SCHEMA}.organizations WHERE id = %s", (org_id,))
    row = await cur.fetchone()
    return _organization(row) if row else None


async def find_organization_id(conn: AsyncConnection[Any], slug: str) -> UUID | None:
    """The id of the organization with this slug (public pages are addressed by it)."""
    cur = await conn.execute(f"SELECT id FROM {SCHEMA}.organizations WHERE slug = %s", (slug,))
    row = await cur.fetchone()
    return row[0] if row else None


async def get_user(conn: AsyncConnection[Any], org_id: UUID, user_id: UUID) -> UserRow | None:
    """The user with this id in this organization (None also when it is another's)."""
    cur = await conn.execute(
        f"SELECT {_USER_COLUMNS} FROM {SCHEMA}.users WHERE org_id = %s AND id = %s",
        (org_id, user_id))
    row = await cur.fetchone()
    return _user(row) if row else None


async def list_users(conn: AsyncConnection[Any], org_id: UUID) -> list[UserRow]:
    cur = await conn.execute(
        f"SELECT {_USER_COLUMNS} FROM {SCHEMA}.users WHERE org_id = %s"
        " ORDER BY created_at, id", (org_id,))
    return [_user(row) for row in await cur.fetchall()]


_API_KEY_SELECT = (
    f"SELECT k.id, k.name, k.is_active, u.last_used_at, k.created_at, k.scope"
    f" FROM {SCHEMA}.api_keys k"
    " LEFT JOIN api_key_usage u ON u.key_id = k.id WHERE k.org_id = %s AND NOT k.deleted"
)


async def list_api_keys(conn: AsyncConnection[Any], org_id: UUID) -> list[ApiKeyRow]:
    """The organization's keys that are not deleted, newest first."""
    cur = await conn.execute(_API_KEY_SELECT + " ORDER BY k.created_at DESC, k.id", (org_id,))
    return [ApiKeyRow(id=r[0], name=r[1], is_active=r[2], last_used_at=r[3], created_at=r[4],
                      scope=r[5]) for r in await cur.fetchall()]


async def get_api_key(conn: AsyncConnection[Any], org_id: UUID, key_id: UUID) -> ApiKeyRow | None:
    """A key of this organization that is not deleted (None also when it is another's)."""
    cur = await conn.execute(_API_KEY_SELECT + " AND k.id = %s", (org_id, key_id))
    r = await cur.fetchone()
    return ApiKeyRow(id=r[0], name=r[1], is_active=r[2], last_used_at=r[3],
                     created_at=r[4], scope=r[5]) if r else None


async def find_login_account(conn: AsyncConnection[Any], email: str) -> LoginAccount | None:
    """The account that signs in with this e-mail (any organization), with its password hash.

    E-mails are unique across organizations (an e-mail claim in the event store), so at
    most one row matches; should the read model lag behind a change, the newest wins.
    """
    cur = await conn.execute(
        f"SELECT u.id, u.org_id, u.role, u.is_active, c.secret_hash FROM {SCHEMA}.users u"
        " LEFT JOIN credentials c ON c.subject_id = u.id AND c.kind = 'password'"
        " WHERE u.email = %s ORDER BY u.is_active DESC, u.created_at DESC LIMIT 1",
        (email.strip().lower(),))
    row = await cur.fetchone()
    if row is None:
        return None
    return LoginAccount(user_id=row[0], org_id=row[1], role=row[2], is_active=row[3],
                        password_hash=row[4])



# --- the caller of a request, and the secrets written beside the events -------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class CallerRow:
    org_id: UUID
    role: str
    is_active: bool


async def get_caller(conn: AsyncConnection[Any], user_id: UUID) -> CallerRow | None:
    cur = await conn.execute(
        f"SELECT org_id, role, is_active FROM {SCHEMA}.users WHERE id = %s", (user_id,))
    row = await cur.fetchone()
    return CallerRow(org_id=row[0], role=row[1], is_active=row[2]) if row else None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiKeyCaller:
    key_id: UUID
    org_id: UUID
    role: str
    scope: str = "all"


async def find_api_key(conn: AsyncConnection[Any], prefix: str, key_hash: str) -> ApiKeyCaller | None:
    """The active key with this prefix and secret hash, with its creator's role (a key acts
    with at most that) while the creator is active."""
    cur = await conn.execute(
        f"SELECT k.id, k.org_id, u.role, k.scope FROM {SCHEMA}.api_keys k"
        " JOIN credentials c ON c.subject_id = k.id AND c.kind = 'api_key'"
        f" JOIN {SCHEMA}.users u ON u.id = k.created_by AND u.org_id = k.org_id AND u.is_active"
        " WHERE k.prefix = %s AND c.secret_hash = %s AND k.is_active AND NOT k.deleted",
        (prefix, key_hash))
    row = await cur.fetchone()
    return ApiKeyCaller(key_id=row[0], org_id=row[1], role=row[2], scope=row[3]) if row else None


async def touch_api_key(conn: AsyncConnection[Any], key_id: UUID) -> None:
    """Note that the key was used now (written at most once a minute)."""
    await conn.execute(
        "INSERT INTO api_key_usage (key_id, last_used_at) VALUES (%s, now())"
        " ON CONFLICT (key_id) DO UPDATE SET last_used_at = now()"
        " WHERE api_key_usage.last_used_at < now() - interval '1 minute'", (key_id,))


def password_write(user_id: UUID, password_hash: str) -> SideWrite:
    return SideWrite(PASSWORD_SQL, (user_id, password_hash))


def api_key_write(key_id: UUID, key_hash: str) -> SideWrite:
    return SideWrite(API_KEY_SQL, (key_id, key_hash))

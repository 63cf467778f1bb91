"""Queries over the BlogBoard read model (`rm_blog`), each scoped by the organization:
another organization's id finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.blog.builtin_templates import BUILT_IN, SINCE, BuiltInTemplate
from projections.blog.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConnectionRow:
    id: UUID
    name: str
    site_url: str
    username: str
    is_active: bool
    categories: list[dict[str, Any]] | None
    categories_cached_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class TemplateRow:
    id: UUID
    org_id: UUID
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool
    created_at: datetime
    updated_at: datetime
    is_built_in: bool = False
    """One of the read-only templates every organization has (`builtin_templates`)."""


_CONNECTIONS = (f"SELECT id, name, site_url, username, is_active, categories,"
                f" categories_cached_at, created_at, updated_at FROM {SCHEMA}.connections")
_TEMPLATES = (f"SELECT id, org_id, name, description, tone, structure, custom_instructions,"
              f" is_default, created_at, updated_at FROM {SCHEMA}.templates")


def _connection(row: Any) -> ConnectionRow:
    return ConnectionRow(id=row[0], name=row[1], site_url=row[2], username=row[3],
                         is_active=row[4], categories=row[5], categories_cached_at=row[6],
                         created_at=row[7], updated_at=row[8])


def _template(row: Any) -> TemplateRow:
    return TemplateRow(id=row[0], org_id=row[1], name=row[2], description=row[3], tone=row[4],
                       structure=row[5], custom_instructions=row[6], is_default=row[7],
                       created_at=row[8], updated_at=row[9])


async def list_connections(conn: AsyncConnection[Any], org_id: UUID) -> list[ConnectionRow]:
    cur = await conn.execute(f"{_CONNECTIONS} WHERE org_id = %s ORDER BY created_at, id",
                             (org_id,))
    return [_connection(row) for row in await cur.fetchall()]


async def get_connection(conn: AsyncConnection[Any], org_id: UUID,
                         connection_id: UUID) -> ConnectionRow | None:
    cur = await conn.execute(f"{_CONNECTIONS} WHERE org_id = %s AND id = %s",
                             (org_id, connection_id))
    row = await cur.fetchone()
    return _connection(row) if row else None


async def list_templates(conn: AsyncConnection[Any], org_id: UUID) -> list[TemplateRow]:
    """The built-in templates, then the organization's own, oldest first."""
    cur = await conn.execute(f"{_TEMPLATES} WHERE org_id = %s ORDER BY created_at, id",
                             (org_id,))
    return [*(_built_in(t, org_id) for t in BUILT_IN.values()),
            *(_template(row) for row in await cur.fetchall())]


async def get_template(conn: AsyncConnection[Any], org_id: UUID,
                       template_id: UUID) -> TemplateRow | None:
    if template_id in BUILT_IN:
        return _built_in(BUILT_IN[template_id], org_id)
    cur = await conn.execute(f"{_TEMPLATES} WHERE org_id = %s AND id = %s",
                             (org_id, template_id))
    row = await cur.fetchone()
    return _template(row) if row else None


def _built_in(template: BuiltInTemplate, org_id: UUID) -> TemplateRow:
    return TemplateRow(id=template.id, org_id=org_id, name=template.name,
                       description=template.description, tone=template.tone,
                       structure=dict(template.structure),
                       custom_instructions=template.custom_instructions, is_default=False,
                       created_at=SINCE, updated_at=SINCE, is_built_in=True)

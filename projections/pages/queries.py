"""Queries over the PageDesigns read model (`rm_pages`), each scoped by the organization:
another organization's number finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.pages.projection import SCHEMA, TOKENS


@dataclasses.dataclass(frozen=True, kw_only=True)
class DesignRow:
    tokens: dict[str, Any]
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class TemplateRow:
    number: int
    name: str
    description: str
    blocks: list[dict[str, Any]]
    tags: list[str]
    created_at: datetime
    updated_at: datetime


_TEMPLATES = (f"SELECT number, name, description, blocks, tags, created_at, updated_at"
              f" FROM {SCHEMA}.templates")


def _template(row: Any) -> TemplateRow:
    return TemplateRow(number=row[0], name=row[1], description=row[2], blocks=row[3],
                       tags=list(row[4]), created_at=row[5], updated_at=row[6])


async def get_design_system(conn: AsyncConnection[Any], org_id: UUID) -> DesignRow | None:
    """The organization's design system; None while it has never changed it."""
    cur = await conn.execute(
        f"SELECT {', '.join(TOKENS)}, updated_at FROM {SCHEMA}.design_systems WHERE org_id = %s",
        (org_id,))
    row = await cur.fetchone()
    if row is None:
        return None
    return DesignRow(tokens=dict(zip(TOKENS, row[:-1], strict=True)), updated_at=row[-1])


async def list_templates(conn: AsyncConnection[Any], org_id: UUID) -> list[TemplateRow]:
    """The organization's templates by number."""
    cur = await conn.execute(f"{_TEMPLATES} WHERE org_id = %s ORDER BY number", (org_id,))
    return [_template(row) for row in await cur.fetchall()]


async def get_template(conn: AsyncConnection[Any], org_id: UUID,
                       number: int) -> TemplateRow | None:
    cur = await conn.execute(f"{_TEMPLATES} WHERE org_id = %s AND number = %s",
                             (org_id, number))
    row = await cur.fetchone()
    return _template(row) if row else None

"""Queries over the SavedSearches read model (`rm_segments`), each scoped by the
organization: another organization's number finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from domain.search.segments import SegmentRule
from projections.search.segments_projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class QueryRow:
    number: int
    text: str
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class SegmentRow:
    number: int
    name: str
    rule: SegmentRule
    created_at: datetime
    updated_at: datetime


_QUERIES = f"SELECT number, text, active, created_at, updated_at FROM {SCHEMA}.queries"
_SEGMENTS = (f"SELECT number, name, project_ids, categories, skus, created_at, updated_at,"
             f" feeds FROM {SCHEMA}.segments")


def _query(row: Any) -> QueryRow:
    return QueryRow(number=row[0], text=row[1], active=row[2], created_at=row[3],
                    updated_at=row[4])


def _segment(row: Any) -> SegmentRow:
    return SegmentRow(number=row[0], name=row[1], rule=SegmentRule(
        project_ids=tuple(row[2]), categories=tuple(row[3]), skus=tuple(row[4]),
        feeds=tuple(row[7])),
        created_at=row[5], updated_at=row[6])


async def list_queries(conn: AsyncConnection[Any], org_id: UUID,
                       active: bool | None = None) -> list[QueryRow]:
    """The organization's saved queries by number; only active (or inactive) ones when asked."""
    cur = await conn.execute(
        f"{_QUERIES} WHERE org_id = %s AND (%s::boolean IS NULL OR active = %s) ORDER BY number",
        (org_id, active, active))
    return [_query(row) for row in await cur.fetchall()]


async def get_query(conn: AsyncConnection[Any], org_id: UUID, number: int) -> QueryRow | None:
    cur = await conn.execute(f"{_QUERIES} WHERE org_id = %s AND number = %s", (org_id, number))
    row = await cur.fetchone()
    return None if row is None else _query(row)


async def list_segments(conn: AsyncConnection[Any], org_id: UUID) -> list[SegmentRow]:
    cur = await conn.execute(f"{_SEGMENTS} WHERE org_id = %s ORDER BY number", (org_id,))
    return [_segment(row) for row in await cur.fetchall()]


async def get_segment(conn: AsyncConnection[Any], org_id: UUID,
                      number: int) -> SegmentRow | None:
    cur = await conn.execute(f"{_SEGMENTS} WHERE org_id = %s AND number = %s", (org_id, number))
    row = await cur.fetchone()
    return None if row is None else _segment(row)

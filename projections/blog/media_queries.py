"""Queries over the BlogMedia read model (`rm_blog_media`), each scoped by the organization:
another organization's id finds nothing."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.blog.media_projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class StockPhotoKeyRow:
    id: UUID
    org_id: UUID
    provider: str
    key_fingerprint: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostImageRow:
    id: UUID
    project_id: UUID
    post_id: UUID
    source: str
    file_key: str
    file_size: int
    mime: str
    width: int
    height: int
    alt_text: str
    original_url: str
    attribution: str
    created_at: datetime
    updated_at: datetime


_KEYS = (f"SELECT id, org_id, provider, key_fingerprint, is_active, created_at, updated_at"
         f" FROM {SCHEMA}.stock_photo_keys")
_IMAGES = (f"SELECT id, project_id, post_id, source, file_key, file_size, mime, width, height,"
           f" alt_text, original_url, attribution, created_at, updated_at"
           f" FROM {SCHEMA}.blog_post_images")


async def list_stock_photo_keys(conn: AsyncConnection[Any],
                                org_id: UUID) -> list[StockPhotoKeyRow]:
    cur = await conn.execute(f"{_KEYS} WHERE org_id = %s ORDER BY created_at, id", (org_id,))
    return [StockPhotoKeyRow(**dict(zip(StockPhotoKeyRow.__dataclass_fields__, row,
                                        strict=True))) for row in await cur.fetchall()]


async def get_stock_photo_key(conn: AsyncConnection[Any], org_id: UUID,
                              key_id: UUID) -> StockPhotoKeyRow | None:
    cur = await conn.execute(f"{_KEYS} WHERE org_id = %s AND id = %s", (org_id, key_id))
    row = await cur.fetchone()
    return None if row is None else StockPhotoKeyRow(
        **dict(zip(StockPhotoKeyRow.__dataclass_fields__, row, strict=True)))


def _image(row: Any) -> PostImageRow:
    return PostImageRow(**dict(zip(PostImageRow.__dataclass_fields__, row, strict=True)))


async def list_post_images(conn: AsyncConnection[Any], org_id: UUID,
                           post_id: UUID) -> list[PostImageRow]:
    cur = await conn.execute(f"{_IMAGES} WHERE org_id = %s AND post_id = %s"
                             f" ORDER BY created_at, id", (org_id, post_id))
    return [_image(row) for row in await cur.fetchall()]


async def get_post_image(conn: AsyncConnection[Any], org_id: UUID,
                         image_id: UUID) -> PostImageRow | None:
    cur = await conn.execute(f"{_IMAGES} WHERE org_id = %s AND id = %s", (org_id, image_id))
    row = await cur.fetchone()
    return _image(row) if row else None


async def find_post_image(conn: AsyncConnection[Any], image_id: UUID) -> PostImageRow | None:
    """Any organization's image by its id: for serving its file by the (unguessable) id."""
    cur = await conn.execute(f"{_IMAGES} WHERE id = %s", (image_id,))
    row = await cur.fetchone()
    return _image(row) if row else None

"""Products of the ProductIndex read model by SKU, as pages show them (exports, grids)."""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from projections.search.projection import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductOfSku:
    sku: str
    name: str
    price: Decimal | None
    url: str | None
    image_url: str | None


async def products_by_sku(conn: AsyncConnection[Any], org_id: UUID,
                          skus: Sequence[str]) -> dict[str, ProductOfSku]:
    """The organization's visible products with these SKUs; where several share one, the
    catalogue's (a project's) before a feed's, then by item id."""
    if not skus:
        return {}
    cur = await conn.execute(
        f"SELECT DISTINCT ON (sku) sku, name, price, url, image_url FROM {SCHEMA}.products"
        " WHERE org_id = %s AND sku = ANY(%s) AND NOT excluded AND NOT trashed"
        " ORDER BY sku, project_id IS NULL, item_id", (org_id, list(skus)))
    return {row[0]: ProductOfSku(sku=row[0], name=row[1], price=row[2], url=row[3],
                                 image_url=row[4]) for row in await cur.fetchall()}

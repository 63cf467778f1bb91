"""What an external product feed's records become: products with the canonical fields,
through the feed's `field_map` (source field → canonical field)."""

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidCommandError

CANONICAL = ("sku", "name", "description", "price", "category", "image_url", "url")
MAX_PRODUCTS = 10_000
MAX_FIELD_CHARS = 10_000


@dataclasses.dataclass(frozen=True, kw_only=True)
class FeedProduct:
    sku: str
    name: str
    description: str = ""
    price: Decimal | None = None
    category: str | None = None
    image_url: str | None = None
    url: str | None = None


def check_field_map(field_map: Mapping[str, str]) -> dict[str, str]:
    """The map, each target a canonical field; InvalidCommandError naming a bad one."""
    for source, target in field_map.items():
        if target not in CANONICAL:
            raise InvalidCommandError(
                f"field_map: {source!r} maps to {target!r}, not one of {', '.join(CANONICAL)}")
    return dict(field_map)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float, Decimal)):
        text = str(value).strip()[:MAX_FIELD_CHARS]
        return text or None
    return None


def _price(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        price = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return price if price.is_finite() and price >= 0 else None


def map_products(records: Sequence[Mapping[str, Any]],
                 field_map: Mapping[str, str]) -> tuple[list[FeedProduct], int]:
    """The feed's products (the last of a repeated SKU wins) and how many records were
    passed over (no SKU or no name after mapping). InvalidCommandError saying why when every
    record was passed over (a wrong `field_map`, most often): the last sync's products stay."""
    if len(records) > MAX_PRODUCTS:
        raise InvalidCommandError(f"the feed has more than {MAX_PRODUCTS} products")
    by_sku: dict[str, FeedProduct] = {}
    skipped = 0
    for record in records:
        fields: dict[str, str | None] = {name: _text(record.get(name)) for name in CANONICAL}
        for source, target in field_map.items():
            if source in record:
                fields[target] = _text(record[source])
        sku, name = fields["sku"], fields["name"]
        if sku is None or name is None:
            skipped += 1
            continue
        by_sku[sku] = FeedProduct(
            sku=sku, name=name, description=fields["description"] or "",
            price=_price(fields["price"]), category=fields["category"],
            image_url=fields["image_url"], url=fields["url"])
    if records and not by_sku:
        raise InvalidCommandError(_nothing_mapped(records, field_map))
    return list(by_sku.values()), skipped


def _nothing_mapped(records: Sequence[Mapping[str, Any]], field_map: Mapping[str, str]) -> str:
    """Every record lacks a SKU or a name: which, and the fields the records do have."""
    sources = {field: [s for s, t in field_map.items() if t == field] for field in ("sku", "name")}
    lacking = [field for field, named in sources.items()
               if not any(_text(r.get(name)) for r in records for name in (field, *named))]
    fields = sorted({str(key) for record in records[:100] for key in record})[:20]
    missing = " and ".join(f"'{f}'" for f in lacking) or "'sku' and 'name' together"
    return (f"none of the feed's {len(records)} records has {missing} (after field_map"
            f" {dict(field_map)}); the records have the fields {', '.join(fields) or 'none'}:"
            " map them to sku and name with field_map")

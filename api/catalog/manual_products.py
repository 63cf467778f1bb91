"""Products typed in for a manual source: a JSON array of objects → product records; one
object → the changes to one product."""

from typing import Any

import msgspec

from api.text_rules import json_problem
from domain.catalog.records import CANONICAL_FIELDS, ProductRecord
from domain.errors import InvalidCommandError, MalformedInputError, TooLargeError

MAX_MANUAL_PRODUCTS = 1000
_OWN_KEYS = ("external_id", "item_type", "parent_external_id")


def manual_records(items: str | list[dict[str, Any]] | None) -> list[ProductRecord]:
    """One record per object (numbered from 1 in errors); `external_id` defaults to the
    `sku`, else to `manual-<n>`. Canonical fields go to `source_data`, the others under its
    `platform_fields`."""
    if items is None or (isinstance(items, str) and not items.strip()):
        return []
    if isinstance(items, str):
        try:
            items = msgspec.json.decode(items)
        except (msgspec.DecodeError, RecursionError):
            raise MalformedInputError("items must be a JSON array of objects") from None
        problem = json_problem({"items": items})  # the form's text held JSON escapes
        if problem:
            raise MalformedInputError(problem)
    if not isinstance(items, list):
        raise MalformedInputError("items must be a JSON array of objects")
    if len(items) > MAX_MANUAL_PRODUCTS:
        raise TooLargeError(f"at most {MAX_MANUAL_PRODUCTS} items per manual source")
    return [_record(n, raw) for n, raw in enumerate(items, start=1)]


def _text(n: int, raw: dict[str, Any], key: str, default: str | None) -> str | None:
    value = raw.get(key, default)
    if value is not None and not isinstance(value, str):
        raise MalformedInputError(f"item {n}: {key} must be a string")
    return value


def _record(n: int, raw: Any) -> ProductRecord:
    if not isinstance(raw, dict):
        raise MalformedInputError(f"item {n} must be an object")
    sku = _text(n, raw, "sku", None)
    external_id = _text(n, raw, "external_id", None) or sku or f"manual-{n}"
    item_type = _text(n, raw, "item_type", "simple") or "simple"
    name = _text(n, raw, "name", "") or ""
    canonical = {k: v for k, v in raw.items() if k in CANONICAL_FIELDS}
    others = {k: v for k, v in raw.items() if k not in CANONICAL_FIELDS and k not in _OWN_KEYS}
    return ProductRecord(
        external_id=external_id, item_type=item_type,
        parent_external_id=_text(n, raw, "parent_external_id", None), name=name,
        source_data={**canonical, "platform_fields": others} if others else canonical, line=n,
    )


def manual_record(raw: Any) -> ProductRecord:
    """One product typed in on its own (`external_id` defaults to its `sku`, which it then
    needs)."""
    if isinstance(raw, dict) and not raw.get("external_id") and not raw.get("sku"):
        raise MalformedInputError("a product needs an external_id or a sku")
    return _record(1, raw)


def product_changes(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(canonical fields, platform fields) to change, as the keys of `raw` say; null removes
    one. A product's identity (`external_id`, `item_type`, `parent_external_id`) stays."""
    fixed = [key for key in _OWN_KEYS if key in raw]
    if fixed:
        raise InvalidCommandError(f"{fixed[0]} cannot be changed: remove the product and add"
                                  " it again")
    given = dict(raw)
    platform = given.pop("platform_fields", None) or {}
    if not isinstance(platform, dict):
        raise MalformedInputError("platform_fields must be an object")
    fields = {k: v for k, v in given.items() if k in CANONICAL_FIELDS}
    return fields, {**platform, **{k: v for k, v in given.items() if k not in CANONICAL_FIELDS}}

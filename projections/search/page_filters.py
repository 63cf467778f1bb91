"""Metadata filters of a page retrieval, as parameterized SQL over `pages.metadata` (jsonb).

    {"category": "Widgets"}                      equality (also {"eq": ...})
    {"sku": {"in": ["A", "B"]}}                  one of
    {"price": {"gte": 10, "lt": 50}}             numeric range (numbers only match numbers)
    {"published": {"gte": "2024-01-01"}}         date range (ISO 8601 dates or date-times)
    {"image_url": {"exists": true}}              the key is present (false: absent)

Operators may be written with a `$` ("$gte"). Keys and values only ever travel as parameters;
the SQL text is built from fixed fragments alone, so no key or value can change it."""

import json
import math
from datetime import date, datetime
from typing import Any

from domain.errors import MalformedInputError

MAX_FILTERS = 20
MAX_KEY_CHARS = 200
MAX_IN_VALUES = 100
RANGES = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPERATORS = frozenset({"eq", "in", "exists", *RANGES})

_NUMBER = "(CASE WHEN jsonb_typeof(metadata -> %s) = 'number' THEN (metadata ->> %s)::numeric END)"
_TEXT = "(CASE WHEN jsonb_typeof(metadata -> %s) = 'string' THEN metadata ->> %s END)"


def _scalar(key: str, value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise MalformedInputError(f"filter {key!r}: numbers must be finite")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise MalformedInputError(f"filter {key!r}: a value must be a string, number,"
                                  " boolean or null")
    return value


def _equal(key: str, value: Any) -> tuple[str, list[Any]]:
    return "metadata @> %s::jsonb", [json.dumps({key: _scalar(key, value)})]


def _bound(key: str, op: str, value: Any) -> tuple[str, list[Any]]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        _scalar(key, value)
        return f"{_NUMBER} {RANGES[op]} %s", [key, key, value]
    if isinstance(value, str):
        try:
            (datetime if "T" in value or " " in value else date).fromisoformat(value)
        except ValueError:
            raise MalformedInputError(f"filter {key!r}: {op!r} takes a number or an ISO 8601"
                                      " date") from None
        return f"{_TEXT} {RANGES[op]} %s", [key, key, value]
    raise MalformedInputError(f"filter {key!r}: {op!r} takes a number or an ISO 8601 date")


def _condition(key: str, op: str, value: Any) -> tuple[str, list[Any]]:
    if op == "eq":
        return _equal(key, value)
    if op == "in":
        if not isinstance(value, list) or not 0 < len(value) <= MAX_IN_VALUES:
            raise MalformedInputError(f"filter {key!r}: 'in' takes a list of 1 to"
                                      f" {MAX_IN_VALUES} values")
        return "metadata @> ANY(%s::text[]::jsonb[])", [
            [json.dumps({key: _scalar(key, v)}) for v in value]]
    if op == "exists":
        if not isinstance(value, bool):
            raise MalformedInputError(f"filter {key!r}: 'exists' takes true or false")
        return ("metadata ? %s" if value else "NOT (metadata ? %s)"), [key]
    return _bound(key, op, value)


def translate(filters: object) -> tuple[str, list[Any]]:
    """(" AND …" to append to a WHERE clause, its parameters); ("", []) for no filter."""
    if filters is None:
        return "", []
    if not isinstance(filters, dict):
        raise MalformedInputError("'filters' must be a JSON object")
    if len(filters) > MAX_FILTERS:
        raise MalformedInputError(f"'filters' may name at most {MAX_FILTERS} keys")
    sql: list[str] = []
    params: list[Any] = []
    for key, condition in filters.items():
        if not key or len(key) > MAX_KEY_CHARS:
            raise MalformedInputError(f"a filter key must be 1 to {MAX_KEY_CHARS} characters")
        if not isinstance(condition, dict):
            condition = {"eq": condition}
        if not condition:
            raise MalformedInputError(f"filter {key!r}: no condition")
        for raw_op, value in condition.items():
            op = raw_op.removeprefix("$")
            if op not in OPERATORS:
                raise MalformedInputError(f"filter {key!r}: unknown operator {raw_op!r}"
                                          f" (one of {', '.join(sorted(OPERATORS))})")
            fragment, values = _condition(key, op, value)
            sql.append(fragment)
            params.extend(values)
    return "".join(f" AND {fragment}" for fragment in sql), params

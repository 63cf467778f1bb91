"""Cell values that pack several things: lists, `k=v` pairs, category paths."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_PAIR = re.compile(r"([^,=]*)=([^,]*)")


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items in first-seen order, without repeats."""
    return list(dict.fromkeys(item for item in items if item))


def split_escaped_list(text: str) -> list[str]:
    """WooCommerce lists: comma-separated, a comma inside an item escaped as `\\,`."""
    if not text:
        return []
    if "\\," not in text:
        return unique(part.strip() for part in text.split(","))
    return unique(part.strip().replace("\\,", ",") for part in _UNESCAPED_COMMA.split(text))


def split_list(text: str) -> list[str]:
    """A list in one cell, separated by `|` when there is one, else by commas."""
    if not text:
        return []
    return unique(part.strip() for part in text.split("|" if "|" in text else ","))


def parse_pairs(text: str) -> dict[str, str]:
    """Magento's `k=v,k=v`; a piece without `=` belongs to the previous value (a comma in it)."""
    if not text:
        return {}
    pieces = text.split(",")
    if text.count("=") == len(pieces):
        return dict(_PAIR.findall(text))
    pairs: dict[str, str] = {}
    key = None
    for piece in pieces:
        name, equals, value = piece.partition("=")
        if equals and name.strip():
            key = name.strip()
            pairs[key] = value
        elif key is not None:
            pairs[key] += "," + piece
    return pairs


def category_path(path: str, separator: str) -> str:
    """A category path written `A > B`, whatever the platform's separator."""
    if separator == " > ":
        return path.strip()
    return " > ".join(part.strip() for part in path.split(separator) if part.strip())


def source_data(canonical: Mapping[str, Any], platform_fields: Mapping[str, str],
                extras: Iterable[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """A record's `source_data`: the non-empty canonical fields, then the caller-mapped extras
    (canonical field, header, value), then `platform_fields`."""
    data = {key: value for key, value in canonical.items() if value}
    for field, header, value in extras:
        if not value:
            continue
        if field == "attributes":
            data["attributes"] = {**data.get("attributes", {}), header: value}
        elif field in ("categories", "images"):
            data[field] = unique([*data.get(field, []), *split_list(value)])
        else:
            data[field] = value
    data["platform_fields"] = platform_fields
    return data

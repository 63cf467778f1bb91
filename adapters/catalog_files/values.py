"""Cell values that pack several things: lists, `k=v` pairs, category paths."""

import re
from collections.abc import Callable, Iterable, Mapping
from itertools import compress
from operator import methodcaller
from typing import Any

_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_SPLIT_PAIR = methodcaller("split", "=", 1)


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items in first-seen order, without repeats."""
    return list(dict.fromkeys(filter(None, items)))


def split_escaped_list(text: str) -> list[str]:
    """WooCommerce lists: comma-separated, a comma inside an item escaped as `\\,`."""
    if not text:
        return []
    if "\\," not in text:
        return unique(map(str.strip, text.split(",")))
    return unique(part.strip().replace("\\,", ",") for part in _UNESCAPED_COMMA.split(text))


def split_list(text: str) -> list[str]:
    """A list in one cell, separated by `|` when there is one, else by commas."""
    if not text:
        return []
    return unique(map(str.strip, text.split("|" if "|" in text else ",")))


def parse_pairs(text: str) -> dict[str, str]:
    """Magento's `k=v,k=v`; a piece without `=` belongs to the previous value (a comma in it)."""
    if not text:
        return {}
    pieces = text.split(",")
    try:
        return dict(map(_SPLIT_PAIR, pieces))
    except ValueError:  # a piece without "=": a comma inside a value
        pass
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


class Memo(dict[str, list[str]]):
    """Results of a function of one cell, for cells that repeat row after row (categories)."""

    def __init__(self, compute: Callable[[str], list[str]], limit: int = 10_000) -> None:
        super().__init__()
        self._compute, self._limit = compute, limit

    def __missing__(self, cell: str) -> list[str]:
        if len(self) >= self._limit:
            self.clear()
        found = self[cell] = self._compute(cell)
        return found


def category_path(path: str, separator: str) -> str:
    """A category path written `A > B`, whatever the platform's separator."""
    if separator == " > ":
        return path.strip()
    return " > ".join(part.strip() for part in path.split(separator) if part.strip())


def source_data(canonical: Mapping[str, Any], platform_fields: Mapping[str, str],
                extras: Iterable[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """A record's `source_data`: the non-empty canonical fields, then the caller-mapped extras
    (canonical field, header, value), then `platform_fields`."""
    data = dict(compress(canonical.items(), canonical.values()))
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

"""Small text helpers shared by prompts, validators and the template writer."""

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|ul|ol)>|<br\s*/?>", re.IGNORECASE)
# a number as written in copy: 1,299.00 / 1.299,00 / 0,5 / 500 / 4.5
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)


def visible_text(text: str) -> str:
    """What a reader sees of (possibly HTML) text: tags dropped, entities decoded, spaces joined."""
    spaced = _BLOCK_END.sub(" ", text)
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", spaced))).strip()


def words(text: str) -> list[str]:
    """The lower-cased words of a text (letters only; digits and punctuation split them)."""
    return [w.lower() for w in _WORD.findall(text)]


def normalized_numbers(text: str) -> set[str]:
    """Every number in `text`, in forms that match however the thousands and decimals are written.

    "1.299,00", "1,299.00" and "1299" all give "1299"; "0,5" and "0.5" give "0.5".
    """
    found: set[str] = set()
    for raw in _NUMBER.findall(text):
        found.update(_number_forms(raw))
    return found


def _number_forms(raw: str) -> set[str]:
    last = max(raw.rfind("."), raw.rfind(","))
    if last == -1:
        return {_without_leading_zeros(raw)}
    whole = _without_leading_zeros(re.sub(r"[.,]", "", raw[:last]))
    fraction = raw[last + 1:].rstrip("0")
    forms = {f"{whole}.{fraction}" if fraction else whole}  # the last separator is the decimal one
    groups = re.split(r"[.,]", raw)
    if all(len(group) == 3 for group in groups[1:]):  # every separator groups thousands
        forms.add(_without_leading_zeros("".join(groups)))
    return forms


def _without_leading_zeros(digits: str) -> str:
    return digits.lstrip("0") or "0"


def numbers_in_copy(text: str) -> list[str]:
    """The numbers of generated copy as written, in order (for messages)."""
    return _NUMBER.findall(text)


def flatten_values(data: Any) -> Iterator[str]:
    """Every key and scalar value of nested product data, as text."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield str(key)
            yield from flatten_values(value)
    elif isinstance(data, list | tuple | set | frozenset):
        for value in data:
            yield from flatten_values(value)
    elif data is not None:
        yield str(data)


def source_text(source_data: Mapping[str, Any]) -> str:
    """All of a product's data as one visible text: what copy may draw its facts from."""
    return visible_text(" \n ".join(flatten_values(source_data)))


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary so it fits `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:max(limit, 0)]
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:\u2013-") + "…"

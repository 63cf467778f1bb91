"""What of a catalog item the index embeds: its name, then its generated copy when it has
some, else the description from its source. Markup is dropped, whitespace folded and each
part cut to a length an embedding model reads whole."""

import html
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_PART_CHARS = 2000
"""multilingual-e5 reads 512 tokens; more text only costs time."""
COPY_FIELDS = ("short_description", "long_description")
"""The generated fields that describe the product (titles and meta texts repeat them)."""

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain(value: Any) -> str:
    """`value` as plain text: no tags, entities decoded, one space between words."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAG.sub(" ", value))
    return _SPACE.sub(" ", text).strip()[:MAX_PART_CHARS]


def generated_copy(content: Mapping[str, Any]) -> str:
    """The descriptive part of generated content ('' when none was written)."""
    parts = [plain(content.get(field)) for field in COPY_FIELDS]
    return "\n".join(part for part in parts if part) or plain(content.get("meta_description"))


def source_description(source_data: Mapping[str, Any]) -> str:
    return plain(source_data.get("description")) or plain(source_data.get("short_description"))


def text_to_embed(name: str, copy: str, description: str) -> str:
    """The indexed text (the migration's `search_text()` computes the same in SQL)."""
    body = copy.strip() or description.strip()
    return "\n".join(part for part in (name.strip(), body) if part)


def first_category(source_data: Mapping[str, Any]) -> str | None:
    """The last step of the first category path ("Men/Hoodies", "Men > Hoodies": Hoodies)."""
    categories = source_data.get("categories")
    if isinstance(categories, list) and categories:
        categories = categories[0]
    if not isinstance(categories, str):
        return None
    return categories.split("/")[-1].split(">")[-1].strip() or None


def first_image(source_data: Mapping[str, Any]) -> str | None:
    images = source_data.get("images")
    if isinstance(images, list) and images and isinstance(images[0], str):
        return images[0].strip() or None
    return None


def price_of(source_data: Mapping[str, Any]) -> Decimal | None:
    """The source's price as a number; None when it has none or it is not one."""
    raw = source_data.get("price")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    try:
        price = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return price if price.is_finite() and abs(price) < Decimal("1e12") else None

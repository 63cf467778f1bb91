"""What a column's sample values look like: prices, image URLs, HTML, category paths, SKUs…"""

import re
from collections.abc import Callable, Sequence

_PRICE = re.compile(r"^\s*(?:[$€£¥]\s*)?\d{1,7}(?:[.,]\d{1,2})?\s*(?:[$€£¥]|EUR|USD|GBP|CHF)?\s*$", re.I)
_IMAGE = re.compile(r"(?:^https?://|^/|\.(?:jpe?g|png|gif|webp|avif|svg)(?:\?|$|,|\s))", re.I)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:\?[^,\s]*)?(?:\s*[,|]|\s*$)", re.I)
_HTML = re.compile(r"<(?:p|br|div|ul|ol|li|strong|em|b|i|span|h[1-6]|table|a)\b[^>]*>", re.I)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{2,40}$")
_PATH = re.compile(r"\S\s*(?:>|/)\s*\S")


def _is_image(value: str) -> bool:
    return bool(_IMAGE_FILE.search(value)) and bool(_IMAGE.search(value))


def _is_html(value: str) -> bool:
    return bool(_HTML.search(value))


def _is_price(value: str) -> bool:
    return bool(_PRICE.match(value)) and any(c.isdigit() for c in value)


def _is_category(value: str) -> bool:
    return bool(_PATH.search(value)) and not value.lower().startswith(("http", "<")) and len(value) < 300


def _is_slug(value: str) -> bool:
    return bool(_SLUG.match(value))


def _is_code(value: str) -> bool:
    return bool(_CODE.match(value)) and any(c.isdigit() for c in value) and not _is_price(value)


def _is_long_text(value: str) -> bool:
    return len(value) > 60 and value.count(" ") >= 8


def _is_title(value: str) -> bool:
    words = value.split()
    return 2 <= len(words) <= 14 and len(value) <= 120 and not _is_html(value)


KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("images", _is_image), ("description", _is_html), ("price", _is_price),
    ("categories", _is_category), ("url_key", _is_slug), ("sku", _is_code),
    ("description", _is_long_text), ("name", _is_title),
)
"""In order of precedence: the first kind most values match wins."""

THRESHOLD = 0.8


def guess_field(values: Sequence[str]) -> tuple[str, float] | None:
    """The canonical field the non-empty `values` most look like, and the share that matched."""
    present = [v.strip() for v in values if v.strip()]
    if not present:
        return None
    for field, test in KINDS:
        share = sum(1 for value in present if test(value)) / len(present)
        if share >= THRESHOLD:
            if field in ("sku", "name") and len(set(present)) < len(present) * 0.8:
                continue  # identifiers and names differ from row to row
            return field, share
    return None

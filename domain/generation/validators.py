"""Checks every generated text passes; together they give the item's confidence score.

The score starts at 1.0 and each failed check lowers it by its weight (below 0 it is 0).
An item scoring below the item's `FLAG_THRESHOLD` is flagged for review. One invented fact, a
wrong language, broken HTML or a missing field flags an item alone; an over-long text or a
missing product name alone does not.
"""

from collections.abc import Mapping
from typing import Any

from domain.catalog.content_item import ContentItem
from domain.catalog.item_status import ItemStatus
from domain.generation.claims import invented_claims, invented_numbers, invented_quantities
from domain.generation.html_check import has_html, html_problems
from domain.generation.languages import is_written_in
from domain.generation.prompts import requested_fields
from domain.generation.reference import language_name
from domain.generation.settings import GeneratedTexts, GenerationSettings, Validation
from domain.generation.text import source_text, visible_text, words

MISSING_FIELD = 0.4
"""Per requested field left empty."""
TOO_LONG = 0.2
"""Per short or long description over its limit (visible characters)."""
META_TOO_LONG = 0.1
"""Per name, meta title or meta description over its limit."""
MALFORMED_HTML = 0.35
"""Per text with unbalanced tags, tags outside the allowed list, or attributes."""
UNWANTED_HTML = 0.3
"""Per text carrying HTML where the settings ask for plain text."""
NAME_MISSING = 0.15
"""The product name appears in none of the texts."""
INVENTED_NUMBER = 0.35
"""Numbers (or quantities in other units) the product data does not state."""
INVENTED_CLAIM = 0.35
"""Claims ("best-selling", "award-winning", …) the product data does not make."""
WRONG_LANGUAGE = 0.4
"""The copy does not read as the requested language."""

LABELS = {"name": "name", "short_description": "short description",
          "long_description": "long description", "meta_title": "meta title",
          "meta_description": "meta description"}


def validate(source_data: Mapping[str, Any], settings: GenerationSettings,
             texts: GeneratedTexts) -> Validation:
    """The confidence score of one item's copy and the reasons that lowered it."""
    failed: list[tuple[float, str]] = []
    fields = requested_fields(settings)
    for field, (limit, html_allowed) in fields.items():
        failed += _field_checks(field, getattr(texts, field), limit, html_allowed)
    written = {field: visible_text(getattr(texts, field)) for field in fields}
    copy = " \n ".join(written.values())
    source = source_text(source_data)
    failed += _fact_checks(copy, source)
    body = " \n ".join(text for field, text in written.items() if field != "name")
    if not _names_product(source_data, texts, body):
        failed.append((NAME_MISSING, "The product name appears in none of the texts."))
    prose = " ".join(written.get(f, "") for f in
                     ("short_description", "long_description", "meta_description"))
    if is_written_in(prose, settings.language) is False:
        failed.append((WRONG_LANGUAGE, f"The copy does not read as {language_name(settings.language)}."))
    score = max(0.0, 1.0 - sum(weight for weight, _ in failed))
    return Validation(confidence_score=round(score, 2), reasons=tuple(r for _, r in failed))


def is_flagged(validation: Validation) -> bool:
    return ContentItem.status_after_generation(validation.confidence_score) == ItemStatus.FLAGGED


def _field_checks(field: str, text: str, limit: int, html_allowed: bool) -> list[tuple[float, str]]:
    label = LABELS[field]
    if not text.strip():
        return [(MISSING_FIELD, f"The {label} is missing.")]
    failed = []
    length = len(visible_text(text))
    if length > limit:
        weight = TOO_LONG if field in ("short_description", "long_description") else META_TOO_LONG
        failed.append((weight, f"The {label} has {length} characters, over the limit of {limit}."))
    if has_html(text):
        if not html_allowed:
            failed.append((UNWANTED_HTML, f"The {label} contains HTML where plain text was asked for."))
        elif problems := html_problems(text):
            failed.append((MALFORMED_HTML, f"The {label} has malformed HTML: {'; '.join(problems[:3])}."))
    return failed


def _fact_checks(copy: str, source: str) -> list[tuple[float, str]]:
    failed = []
    numbers = invented_numbers(copy, source) + invented_quantities(copy, source)
    if numbers:
        failed.append((INVENTED_NUMBER,
                       f"Numbers not in the product data: {', '.join(numbers[:5])}."))
    claims = invented_claims(copy, source)
    if claims:
        failed.append((INVENTED_CLAIM, f"Claims not in the product data: {', '.join(claims[:5])}."))
    return failed


def _names_product(source_data: Mapping[str, Any], texts: GeneratedTexts, copy: str) -> bool:
    original = visible_text(str(source_data.get("name") or ""))
    if not original:
        return True
    candidates = [original, visible_text(texts.name)] if texts.name else [original]
    found = copy.lower()
    copy_words = set(words(copy))
    for name in candidates:
        if name.lower() in found:
            return True
        significant = [w for w in words(name) if len(w) >= 3]
        if significant and sum(w in copy_words for w in significant) >= 0.6 * len(significant):
            return True
    return False

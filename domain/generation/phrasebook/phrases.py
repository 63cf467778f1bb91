"""What the template writer says in one language, sentence by sentence.

Placeholders: `{name}` the product name, `{brand}` the brand clause (may be empty),
`{categories}` one or two category names, `{details}` "label: value" pairs. Sentences carry no
numbers and no claims: every fact in the copy comes from the product data.
"""

import dataclasses
from collections.abc import Mapping

ATTRIBUTE_KEYS = ("color", "size", "material", "weight", "style", "pattern", "fit", "length",
                  "width", "height", "capacity", "volume", "finish", "type", "gender", "season",
                  "origin")
"""Attribute names every phrasebook labels (`colour` is read as `color`)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Phrases:
    brand: str
    """The brand clause after the name, with `{brand}`."""
    intros: Mapping[str, tuple[str, ...]]
    """Opening sentences per tone."""
    categories: tuple[str, ...]
    details: tuple[str, ...]
    details_heading: str
    closings: Mapping[str, tuple[str, ...]]
    """Closing sentences per tone."""
    meta: tuple[str, ...]
    """Meta descriptions with `{details}`."""
    meta_plain: tuple[str, ...]
    """Meta descriptions for a product without attributes."""
    labels: Mapping[str, str]
    """Attribute labels by ATTRIBUTE_KEYS."""
    and_word: str

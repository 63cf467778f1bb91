"""An item's generated copy and how it was judged: what the catalog keeps of a generation."""

import dataclasses


@dataclasses.dataclass(frozen=True, kw_only=True)
class GeneratedTexts:
    """One item's generated copy; a field not asked for stays empty."""

    name: str = ""
    short_description: str = ""
    long_description: str = ""
    meta_title: str = ""
    meta_description: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Validation:
    confidence_score: float
    """0.0 to 1.0; below the threshold the item is flagged."""
    reasons: tuple[str, ...]
    """What lowered the score, for the item's metadata."""

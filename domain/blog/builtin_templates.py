"""The blog templates every organization has: one for each post type, read-only, with the
same id everywhere (a post may name one as its `template_id`; copying one with POST makes an
editable template of the organization's own)."""

import dataclasses
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

NAMESPACE = UUID("7d0f6a52-3c1e-4f4e-9a43-6f0b2f7c9b10")
SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@dataclasses.dataclass(frozen=True, kw_only=True)
class BuiltInTemplate:
    id: UUID
    post_type: str
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str


def _template(post_type: str, name: str, description: str, tone: str, length: str,
              sections: list[str], instructions: str) -> BuiltInTemplate:
    return BuiltInTemplate(
        id=uuid5(NAMESPACE, f"blog-template/{post_type}"), post_type=post_type, name=name,
        description=description, tone=tone,
        structure={"post_type": post_type, "length": length, "sections": sections},
        custom_instructions=instructions)


BUILT_IN: dict[UUID, BuiltInTemplate] = {t.id: t for t in (
    _template("product_roundup", "Product roundup", "A handful of products around one theme.",
              "friendly", "medium", ["Why these picks", "The products", "How to choose"],
              "Give every product its own short paragraph and link it."),
    _template("buying_guide", "Buying guide", "What to look for before buying, with products.",
              "helpful", "long", ["What matters", "Our picks", "Questions to ask"],
              "Explain each criterion before naming a product that meets it."),
    _template("how_to", "How-to", "Steps to get something done with the products.",
              "clear", "medium", ["What you need", "Step by step", "Tips"],
              "Number the steps; name the product used in each."),
    _template("comparison", "Comparison", "Two or more products side by side.",
              "neutral", "medium", ["At a glance", "Side by side", "Which one for whom"],
              "Compare only what the products' data states."),
    _template("announcement", "Announcement", "News: a new product, range or season.",
              "enthusiastic", "short", ["What is new", "Where to find it"],
              "Lead with the news in the first sentence."),
)}
"""By id."""


def is_built_in(template_id: UUID | None) -> bool:
    return template_id is not None and template_id in BUILT_IN

"""What a blog post is written from (its brief: type, topic, the products and their copy, the
template, the settings) and what a writer hands back (a draft)."""

import dataclasses
from collections.abc import Mapping
from typing import Any

from domain.blog.post_settings import PostSettings
from domain.generation.prompts import product_facts
from domain.generation.text import visible_text

URL_FIELDS = ("url", "permalink", "product_url", "link")
"""Where a product's store URL may be in its source data (or its `platform_fields`)."""
COPY_FIELDS = ("name", "short_description", "long_description")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostProduct:
    item_id: str
    name: str
    facts: Mapping[str, Any]
    """The product data worth stating (`product_facts`)."""
    copy: Mapping[str, str]
    """Its generated copy (name, short and long description), plain text."""
    url: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostTemplate:
    name: str
    tone: str
    structure: Mapping[str, Any]
    custom_instructions: str

    @property
    def sections(self) -> tuple[str, ...]:
        """The section headings the template asks for (`structure.sections`: names or
        {"title"|"heading"|"name": …} objects)."""
        raw = self.structure.get("sections")
        if not isinstance(raw, list):
            return ()
        names = []
        for section in raw[:20]:
            if isinstance(section, Mapping):
                section = section.get("title") or section.get("heading") or section.get("name")
            if isinstance(section, str) and section.strip():
                names.append(" ".join(section.split())[:120])
        return tuple(names)


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostBrief:
    post_type: str
    topic: str
    products: tuple[PostProduct, ...]
    template: PostTemplate | None
    settings: PostSettings

    @property
    def tone(self) -> str:
        return self.settings.tone or (self.template.tone if self.template else "") or "professional"

    def source_text(self) -> str:
        """Everything the post may state facts from: the products' data and copy, the topic,
        the template's words."""
        parts = [self.topic]
        for product in self.products:
            parts += [product.name, str(dict(product.facts)), *product.copy.values()]
        if self.template:
            parts += [self.template.name, self.template.custom_instructions,
                      str(dict(self.template.structure))]
        parts.append(self.settings.custom_instructions)
        return "\n".join(parts)


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostDraft:
    title: str
    content: str
    """HTML."""
    excerpt: str
    focus_keyword: str
    meta_title: str
    meta_description: str

    def seo_meta(self) -> dict[str, Any]:
        return {"title": self.meta_title, "description": self.meta_description,
                "focus_keyword": self.focus_keyword}


def product_of(item_id: str, source_data: Mapping[str, Any],
               generated: Mapping[str, Any]) -> PostProduct:
    """A product as a post sees it, from an item's source data and generated copy."""
    facts = product_facts(source_data)
    copy = {f: visible_text(str(generated.get(f) or "")) for f in COPY_FIELDS
            if generated.get(f)}
    url = store_url(source_data)
    name = str(copy.get("name") or facts.get("name") or facts.get("sku") or item_id)
    return PostProduct(item_id=item_id, name=name, facts=facts, copy=copy, url=url)


def store_url(source_data: Mapping[str, Any]) -> str | None:
    """The product's page in its store when its data names one (a column of the file or a
    field of the store, kept among `platform_fields`)."""
    extra = source_data.get("platform_fields")
    places = [source_data, extra] if isinstance(extra, Mapping) else [source_data]
    for place in places:
        for field in URL_FIELDS:
            value = place.get(field)
            if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
                return value.strip()
    return None

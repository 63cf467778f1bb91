"""The offline writer: copy composed from a product's own data, tone and language.

It states only what the product data says (name, brand, categories, attributes, and the
description's opening sentences when they are already in the target language), keeps to the
limits and HTML settings, and gives the same text for the same product and settings. Which of
a phrasebook's sentences it uses depends on the product, so a catalog does not read as one text
repeated. Custom instructions are for language models; this writer does not read them.
"""

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from domain.errors import InvalidCommandError
from domain.generation.languages import detect_language
from domain.generation.phrasebook import ATTRIBUTE_KEYS, PHRASEBOOK, Phrases
from domain.generation.prompts import (
    META_DESCRIPTION_LIMIT,
    META_TITLE_LIMIT,
    NAME_LIMIT,
    canonical_json,
    product_facts,
    requested_fields,
)
from domain.generation.settings import GeneratedTexts, GenerationSettings
from domain.generation.text import shorten
from domain.generation.tones import DEFAULT_TONE

TEMPLATE_LANGUAGES = tuple(PHRASEBOOK)
SHORT_VARIANT_DETAILS = 4
"""Attributes the long text lists when the content variant is `short` (compact copy); it also
takes one sentence of the description instead of three."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def estimate_tokens(text: str) -> int:
    """About four characters a token, so offline usage is recorded like a model's."""
    return math.ceil(len(text) / 4)


def write_with_template(source_data: Mapping[str, Any], settings: GenerationSettings) -> GeneratedTexts:
    """One product's copy, composed from its data in the settings' language and tone."""
    phrases = PHRASEBOOK.get(settings.language)
    if phrases is None:
        raise InvalidCommandError(
            f"the template writer writes {', '.join(TEMPLATE_LANGUAGES)}, not {settings.language!r}")
    return _Composer(product_facts(source_data), settings, phrases).texts()


class _Composer:
    def __init__(self, facts: Mapping[str, Any], settings: GenerationSettings, phrases: Phrases) -> None:
        self.facts = facts
        self.settings = settings
        self.phrases = phrases
        self.tone = settings.tone if settings.tone in phrases.intros else DEFAULT_TONE
        self.seed = int(hashlib.sha256(canonical_json(
            [facts, settings.language, settings.tone]).encode()).hexdigest()[:8], 16)
        self.name = str(facts.get("name") or facts.get("sku") or "").strip()
        brand = str(facts.get("brand") or "").strip()
        self.brand = phrases.brand.format(brand=brand) if brand and brand not in self.name else ""
        self.details = _details(facts, phrases)

    def pick(self, options: Sequence[str], salt: int) -> str:
        return options[(self.seed + salt) % len(options)]

    def fill(self, template: str, details: Sequence[str] = ()) -> str:
        return template.format(name=self.name, brand=self.brand, categories=self.category_names(),
                               details="; ".join(details))

    def texts(self) -> GeneratedTexts:
        fields = requested_fields(self.settings)
        return GeneratedTexts(
            name=shorten(self.name, NAME_LIMIT) if "name" in fields else "",
            short_description=self.short_description() if "short_description" in fields else "",
            long_description=self.long_description() if "long_description" in fields else "",
            meta_title=self.meta_title(),
            meta_description=self.meta_description(),
        )

    def short_description(self) -> str:
        limit = self.settings.max_short_chars
        sentences = [shorten(self.fill(self.pick(self.phrases.intros[self.tone], 0)), limit)]
        if self.details:
            details = self.fill(self.pick(self.phrases.details, 1), self.details[:3])
            if len(sentences[0]) + 1 + len(details) <= limit:
                sentences.append(details)
        text = " ".join(sentences)
        return f"<p>{_escape(text)}</p>" if self.settings.use_html_short else text

    def long_description(self) -> str:
        limit = self.settings.max_long_chars
        compact = self.settings.content_variant == "short"
        blocks = [_Block(self.fill(self.pick(self.phrases.intros[self.tone], 1)))]
        blocks += [_Block(s) for s in self.description_sentences()[:1 if compact else 3]]
        if self.category_names():
            blocks.append(_Block(self.fill(self.pick(self.phrases.categories, 2))))
        details = self.details[:SHORT_VARIANT_DETAILS] if compact else self.details
        if details:
            blocks.append(_Block("", items=details))
        blocks.append(_Block(self.fill(self.pick(self.phrases.closings[self.tone], 3))))
        return self.render(blocks, limit)

    def render(self, blocks: list["_Block"], limit: int) -> str:
        """The blocks that fit `limit` visible characters, as HTML or as plain paragraphs."""
        use_html, heading = self.settings.use_html, self.phrases.details_heading
        parts: list[str] = []
        used = 0
        for block in blocks:
            if block.items:
                # room for the heading (HTML) or the sentence around the items (plain text)
                items = _fitting_items(block.items, limit - used - len(heading) - 20)
                if not items:
                    continue
                if use_html:
                    lis = "".join(f"<li>{_escape(item)}</li>" for item in items)
                    parts.append(f"<p><strong>{_escape(heading)}</strong></p><ul>{lis}</ul>")
                    used += len(heading) + sum(len(item) + 1 for item in items)
                    continue
                block = _Block(self.fill(self.pick(self.phrases.details, 5), items))
            text = block.text if used else shorten(block.text, limit)
            if used + len(text) + 1 > limit:
                continue
            parts.append(f"<p>{_escape(text)}</p>" if use_html else text)
            used += len(text) + 1
        return "".join(parts) if use_html else "\n\n".join(parts)

    def description_sentences(self) -> list[str]:
        description = str(self.facts.get("description") or self.facts.get("short_description") or "")
        if not description or detect_language(description) != self.settings.language:
            return []
        return _SENTENCE_END.split(description)

    def category_names(self) -> str:
        names: list[str] = []
        for path in self.facts.get("categories") or ():
            leaf = re.split(r"\s*[>/|]\s*", str(path))[-1].strip()
            if leaf and leaf not in names:
                names.append(leaf)
        return f" {self.phrases.and_word} ".join(names[:2])

    def meta_title(self) -> str:
        brand = str(self.facts.get("brand") or "").strip()
        titled = f"{self.name} | {brand}" if brand and brand not in self.name else self.name
        return titled if len(titled) <= META_TITLE_LIMIT else shorten(self.name, META_TITLE_LIMIT)

    def meta_description(self) -> str:
        if self.details:
            text = self.fill(self.pick(self.phrases.meta, 4), self.details[:3])
        else:
            text = self.fill(self.pick(self.phrases.meta_plain, 4))
        return shorten(text, META_DESCRIPTION_LIMIT)


class _Block:
    """A paragraph, or (with items) the list of details."""

    def __init__(self, text: str, items: Sequence[str] = ()) -> None:
        self.text = text
        self.items = list(items)


def _fitting_items(items: Sequence[str], room: int) -> list[str]:
    fitting: list[str] = []
    for item in items:
        room -= len(item) + 2
        if room < 0:
            break
        fitting.append(item)
    return fitting


def _details(facts: Mapping[str, Any], phrases: Phrases) -> list[str]:
    """"Label: value" for each attribute (and the weight), labels in the phrasebook's language."""
    attributes = dict(facts.get("attributes") or {})
    if facts.get("weight") and not any(_key(k) == "weight" for k in attributes):
        attributes["weight"] = facts["weight"]
    found = []
    for key, value in attributes.items():
        normalized = _key(key)
        label = phrases.labels.get(normalized) if normalized in ATTRIBUTE_KEYS else None
        plain = key.replace("_", " ").strip()
        found.append(f"{label or plain[:1].upper() + plain[1:]}: {str(value).strip()}")
    return found


def _key(name: str) -> str:
    key = name.lower().strip().removeprefix("pa_").replace("_", " ")
    return "color" if key == "colour" else key


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

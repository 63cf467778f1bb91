"""The prompt a language model writes a blog post from, and how its answer is read: one
JSON object with the post's title, HTML content, excerpt and SEO fields."""

import hashlib
import json
from typing import Any

from domain.blog.post_brief import PostBrief, PostDraft
from domain.blog.post_settings import LENGTHS
from domain.generation.prompts import MalformedAnswerError, _first_object, canonical_json
from domain.generation.reference import language_name

POST_PROMPT_VERSION = "1"
FIELDS = ("title", "content", "excerpt", "focus_keyword", "meta_title", "meta_description")
TYPE_GUIDES = {
    "product_roundup": "a roundup presenting each product in its own section",
    "buying_guide": "a buying guide explaining what to look at, with the products as examples",
    "how_to": "a how-to article with steps, using the products where they help",
    "comparison": "a comparison of the products, their differences and who each suits",
    "announcement": "an announcement of the products as new in the shop",
}
SYSTEM = """You write blog posts for an online store's blog.
State only facts found in the product data given: invent no numbers, prices, awards, ratings
or claims. Write well-formed HTML using only p, h2, h3, ul, ol, li, strong, em, a, blockquote.
Link each product to its url when one is given. Answer with one JSON object with the keys
title, content (HTML), excerpt (plain text, at most 300 characters), focus_keyword,
meta_title (at most 60 characters) and meta_description (at most 160 characters)."""


def build_post_prompt(brief: PostBrief) -> tuple[str, str, int]:
    """(system, user, max output tokens)."""
    words = LENGTHS.get(brief.settings.length, 800)
    lines = [
        f"Write {TYPE_GUIDES.get(brief.post_type, 'a blog post')} about: {brief.topic}",
        f"Language: {language_name(brief.settings.language)}. Tone: {brief.tone}."
        f" Length: about {words} words.",
    ]
    if brief.template:
        if brief.template.sections:
            lines.append("Sections, in this order: " + "; ".join(brief.template.sections))
        if brief.template.custom_instructions:
            lines.append("Instructions: " + brief.template.custom_instructions)
    if brief.settings.custom_instructions:
        lines.append("Instructions: " + brief.settings.custom_instructions)
    products: list[dict[str, Any]] = [
        {"name": p.name, "url": p.url, "data": dict(p.facts), "copy": dict(p.copy)}
        for p in brief.products]
    lines.append("Products (JSON): " + json.dumps(products, ensure_ascii=False, sort_keys=True))
    return SYSTEM, "\n".join(lines), min(8000, words * 3)


def post_prompt_key(provider: str, model: str, system: str, user: str) -> str:
    raw = canonical_json(["blog", POST_PROMPT_VERSION, provider, model, system, user])
    return "blog:" + hashlib.sha256(raw.encode()).hexdigest()


def parse_post_answer(text: str) -> PostDraft:
    """The post in a model's answer; MalformedAnswerError when it holds none."""
    found = _first_object(text)
    if not found.get("title") or not found.get("content"):
        raise MalformedAnswerError("the answer's JSON has no title and content")
    values = {}
    for field in FIELDS:
        value = found.get(field) or ""
        if not isinstance(value, str):
            raise MalformedAnswerError(f"the answer's {field} is a {type(value).__name__}, not text")
        values[field] = value.strip()
    return PostDraft(**values)

"""The offline blog writer: a readable post composed from the products alone.

It states only what the products' data and copy say (their names, descriptions, brands,
categories, attributes, prices), arranged as the post type and the template ask (the
template's sections, its tone, the length), links each product to its store page when that
is known, and gives the same post for the same brief. No numbers or claims of its own.
"""

import re
from html import escape

from domain.blog.post_brief import PostBrief, PostDraft, PostProduct
from domain.blog.post_settings import OFFLINE_LANGUAGES
from domain.errors import InvalidCommandError
from domain.generation.text import shorten

META_TITLE_LIMIT = 60
META_DESCRIPTION_LIMIT = 160
EXCERPT_LIMIT = 300
SENTENCES_BY_LENGTH = {"short": 1, "medium": 2, "long": 4}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

TITLES = {
    "product_roundup": "{topic}: a roundup of our picks",
    "buying_guide": "{topic}: a buying guide",
    "how_to": "How to choose: {topic}",
    "comparison": "{topic}: how our products compare",
    "announcement": "New in our shop: {topic}",
}
INTROS = {
    "professional": "This post looks at {topic} and the products in our range that fit it.",
    "friendly": "Looking into {topic}? Here are the products from our shop we think you will like.",
    "casual": "Let's talk about {topic} and a few products from our shop that fit the bill.",
    "luxury": "An edit devoted to {topic}, featuring pieces from our collection.",
    "technical": "This post covers {topic} and lists the relevant product details from our range.",
}
SECTION_LEADS = {
    "product_roundup": "Here is what each product brings.",
    "buying_guide": "What to look at before you choose.",
    "how_to": "Go through these products one by one and match them to what you need.",
    "comparison": "Side by side, from the details each product lists.",
    "announcement": "Here is what is new.",
}
CLOSINGS = {
    "product_roundup": "Each of these products is in our shop; follow the links to see more.",
    "buying_guide": "Compare the details above with what you need, then pick the one that fits.",
    "how_to": "With the details above, you can choose the product that suits you.",
    "comparison": "The details above show where the products differ; choose the one that fits.",
    "announcement": "Follow the links above to see the new products in our shop.",
}


def write_post(brief: PostBrief) -> PostDraft:
    if brief.settings.language not in OFFLINE_LANGUAGES:
        raise InvalidCommandError(
            f"the template writer writes blog posts in {', '.join(OFFLINE_LANGUAGES)}, not"
            f" {brief.settings.language!r}; choose an ai_provider for other languages")
    topic = brief.topic
    title = TITLES.get(brief.post_type, "{topic}").format(topic=_capitalised(topic))
    intro = INTROS.get(brief.tone, INTROS["professional"]).format(topic=topic)
    parts = [f"<p>{escape(intro)}</p>"]
    sections = brief.template.sections if brief.template else ()
    if sections:
        parts += _template_sections(brief, sections)
    else:
        parts.append(f"<h2>{escape(_capitalised(topic))}: the products</h2>")
        parts.append(f"<p>{escape(SECTION_LEADS.get(brief.post_type, ''))}</p>")
        parts += [_product_section(brief, p) for p in brief.products]
    if brief.post_type == "comparison" and len(brief.products) > 1:
        parts.append(_comparison_list(brief.products))
    parts.append("<h2>Conclusion</h2>")
    parts.append(f"<p>{escape(CLOSINGS.get(brief.post_type, CLOSINGS['product_roundup']))}</p>")
    names = ", ".join(p.name for p in brief.products)
    excerpt = shorten(f"{intro} {('Featuring ' + names + '.') if names else ''}".strip(),
                      EXCERPT_LIMIT)
    description = shorten(f"{_capitalised(topic)}. {('Featuring ' + names + '.') if names else ''}"
                          .strip(), META_DESCRIPTION_LIMIT)
    return PostDraft(title=title, content="\n".join(parts), excerpt=excerpt,
                     focus_keyword=topic.lower(), meta_title=shorten(title, META_TITLE_LIMIT),
                     meta_description=description)


def _template_sections(brief: PostBrief, sections: tuple[str, ...]) -> list[str]:
    """The template's sections in order; the products go under the first one (or each under
    its own section when there are as many sections as products)."""
    parts: list[str] = []
    products = list(brief.products)
    one_each = len(sections) == len(products)
    for n, heading in enumerate(sections):
        parts.append(f"<h2>{escape(heading)}</h2>")
        if one_each:
            parts.append(_product_section(brief, products[n], level="h3"))
        elif n == 0:
            parts.append(f"<p>{escape(SECTION_LEADS.get(brief.post_type, ''))}</p>")
            parts += [_product_section(brief, p, level="h3") for p in products]
        else:
            parts.append(f"<p>{escape(_section_text(heading, products))}</p>")
    return parts


def _section_text(heading: str, products: list[PostProduct]) -> str:
    names = ", ".join(p.name for p in products)
    return f"{heading}: {names}." if names else f"{heading}."


def _product_section(brief: PostBrief, product: PostProduct, level: str = "h3") -> str:
    heading = f"<{level}>{escape(product.name)}</{level}>"
    text = _description(product, SENTENCES_BY_LENGTH.get(brief.settings.length, 2))
    body = f"<p>{escape(text)}</p>" if text else ""
    details = _details(product)
    listing = ("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in details) + "</ul>"
               if details else "")
    link = (f'<p><a href="{escape(product.url, quote=True)}">See {escape(product.name)} in our'
            " shop</a></p>" if product.url else "")
    return heading + body + listing + link


def _description(product: PostProduct, sentences: int) -> str:
    text = (product.copy.get("short_description") or product.copy.get("long_description")
            or str(product.facts.get("short_description") or product.facts.get("description")
                   or ""))
    return " ".join(_SENTENCE_END.split(text.strip())[:sentences]).strip()


def _details(product: PostProduct) -> list[str]:
    facts = product.facts
    details = []
    if facts.get("brand"):
        details.append(f"Brand: {facts['brand']}")
    categories = facts.get("categories")
    if categories:
        shown = ", ".join(categories) if isinstance(categories, list) else str(categories)
        details.append(f"Category: {shown}")
    attributes = facts.get("attributes")
    if isinstance(attributes, dict):
        details += [f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in
                    list(attributes.items())[:6]]
    if facts.get("price"):
        details.append(f"Price: {facts['price']}")
    return details


def _comparison_list(products: tuple[PostProduct, ...]) -> str:
    rows = [f"<li><strong>{escape(p.name)}</strong>: {escape('; '.join(_details(p)) or '-')}</li>"
            for p in products]
    return "<h2>At a glance</h2><ul>" + "".join(rows) + "</ul>"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]

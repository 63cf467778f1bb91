"""A landing page rendered with its organization's design system, by Jinja2 templates.

HTML is rendered with auto-escaping on; values that go into CSS or script have their own
filters (font names quoted, custom CSS cleaned again, the tracking URL as JSON). The TSX
component carries the page as one JSON literal that React escapes when it renders; a text
section's body is HTML only when it passes the copy HTML check (known tags, no attributes).
"""

import dataclasses
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from domain.generation.html_check import has_html, html_problems
from domain.pages.blocks import BLOCK_TYPES
from domain.pages.design_system import DEFAULTS, clean_css

TEMPLATES = Path(__file__).parent / "templates"
_SAFE_URL = re.compile(r"^(https?://|/)[^\s<>\"'`]*$")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductCard:
    name: str
    price: str | None
    url: str | None
    image_url: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageToExport:
    slug: str
    title: str
    language: str
    blocks: list[dict[str, Any]]
    tokens: dict[str, Any]
    products: dict[str, ProductCard]
    tracking_url: str | None
    """Fetched once when the exported page is opened, so its views are counted."""


def product_card(name: str, price: Decimal | None, url: str | None,
                 image_url: str | None) -> ProductCard:
    """A product as an export shows it; links that are not http(s) or site-relative dropped."""
    return ProductCard(name=name, price=None if price is None else format(price, "f"),
                       url=_safe_url(url), image_url=_safe_url(image_url))


def _safe_url(url: str | None) -> str | None:
    return url if url and _SAFE_URL.match(url) else None


def _font_family(name: str) -> Markup:
    quoted = str(name).replace("\\", "").replace('"', "").replace("<", "")
    return Markup(f'"{quoted}", sans-serif')


def _custom_css(css: str) -> Markup:
    return Markup(clean_css(str(css)))


def _body(text: str) -> Markup:
    if has_html(text) and not html_problems(text):
        return Markup(text)
    return Markup("\n").join(Markup("<p>{}</p>").format(part)
                             for part in str(text).split("\n\n") if part.strip())


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html.j2"], default_for_string=True),
                      keep_trailing_newline=True)
    env.filters.update(font_family=_font_family, custom_css=_custom_css, body=_body)
    return env


_ENV = _environment()


def _known_blocks(page: PageToExport) -> list[dict[str, Any]]:
    return [block for block in page.blocks if block.get("type") in BLOCK_TYPES]


def _tokens(page: PageToExport) -> dict[str, Any]:
    return {**DEFAULTS, **page.tokens}


def render_html(page: PageToExport) -> str:
    view = {"title": page.title, "language": page.language, "blocks": _known_blocks(page)}
    return _ENV.get_template("page.html.j2").render(
        page=view, tokens=_tokens(page), products=page.products, tracking_url=page.tracking_url)


def _script_json(value: Any) -> str:
    """JSON for a TSX literal: no `</` so the file is safe wherever it is pasted."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("</", "<\\/")


def render_tsx(page: PageToExport) -> str:
    blocks = []
    for block in _known_blocks(page):
        props = dict(block.get("props", {}))
        if block["type"] == "text_section":
            body = str(props.get("body", ""))
            props["body_html"] = body if has_html(body) and not html_problems(body) else None
        blocks.append({"type": block["type"], "props": props})
    products = {sku: dataclasses.asdict(card) for sku, card in page.products.items()}
    return _ENV.get_template("Page.tsx.j2").render(
        page_json=_script_json({"title": page.title, "blocks": blocks}),
        products_json=_script_json(products), tokens_json=_script_json(_tokens(page)),
        tracking_json=_script_json(page.tracking_url))


def render_json(page: PageToExport) -> str:
    return json.dumps({
        "slug": page.slug, "title": page.title, "language": page.language,
        "blocks": _known_blocks(page), "design_system": _tokens(page),
        "products": {sku: dataclasses.asdict(card) for sku, card in page.products.items()},
    }, ensure_ascii=False, indent=2)


def render_zip(page: PageToExport) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", render_html(page))
        archive.writestr("Page.tsx", render_tsx(page))
        archive.writestr("page.json", render_json(page))
    return out.getvalue()


def render(page: PageToExport, file_format: str) -> bytes:
    """The page as a file in `file_format` (html, tsx, json or zip)."""
    if file_format == "zip":
        return render_zip(page)
    renderers = {"html": render_html, "tsx": render_tsx, "json": render_json}
    return renderers[file_format](page).encode("utf-8")


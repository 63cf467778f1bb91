"""The offline page writer: a landing page's intro and blocks from the products a search
found, with no model and no network. It states only what the products' own data says (their
names, categories and prices), so it invents nothing, and it always gives valid blocks: a
hero, a grid of the products' SKUs, and a text section.
"""

import dataclasses
from decimal import Decimal
from typing import Any

GRID_COLUMNS = 3
MAX_PRODUCTS = 12


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageProduct:
    sku: str
    name: str
    category: str | None = None
    price: Decimal | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class WrittenPage:
    intro_copy: str
    product_skus: tuple[str, ...]
    blocks: tuple[dict[str, Any], ...]


def _listing(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _price_range(products: list[PageProduct]) -> str:
    prices = sorted(p.price for p in products if p.price is not None)
    if not prices:
        return ""
    low, high = format(prices[0], "f"), format(prices[-1], "f")
    return f" Prices run from {low} to {high}." if low != high else f" Each costs {low}."


def page_products(found: list[PageProduct]) -> list[PageProduct]:
    """The products a page shows of those a search found."""
    return [p for p in found if p.sku][:MAX_PRODUCTS]


def _offline_intro(title: str, query: str, products: list[PageProduct]) -> str:
    if not products:
        return (f"{title}: nothing in the catalogue matches “{query}” yet. This page fills"
                " with products as soon as the catalogue has some that do.")
    categories = list(dict.fromkeys(p.category for p in products if p.category))
    where = f" across {_listing(categories[:3])}" if categories else ""
    return (f"{title}: {len(products)} products from our catalogue for “{query}”{where}."
            f" Among them: {_listing([p.name for p in products[:3]])}."
            + _price_range(products))


def write_page(title: str, query: str, found: list[PageProduct], *, intro: str | None = None,
               body: str | None = None) -> WrittenPage:
    """The page from `found`; `intro` and `body` (a text model's, checked) replace the
    writer's own texts when given."""
    products = page_products(found)
    if intro is None:
        intro = _offline_intro(title, query, products)
    skus = tuple(p.sku for p in products)
    blocks: list[dict[str, Any]] = [
        {"type": "hero", "props": {"headline": title[:200], "subheadline": intro[:400]}},
    ]
    if skus:
        blocks.append({"type": "product_grid", "props": {
            "title": f"Products for “{query}”"[:200], "product_skus": list(skus),
            "columns": min(GRID_COLUMNS, len(skus)), "show_prices": True}})
    blocks.append({"type": "text_section",
                   "props": {"heading": title[:200], "body": body if body else intro}})
    return WrittenPage(intro_copy=intro, product_skus=skus, blocks=tuple(blocks))

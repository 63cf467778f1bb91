"""What a text model is asked for a landing page, and how its answer is read and checked.

The model writes two plain texts from the products the search found: the intro (under the
hero) and the body of the text section. The blocks stay the page writer's, so an answer can
never break a page's structure. Copy that states a number or a claim the products' data does
not is refused, as product copy is flagged for it.
"""

import dataclasses
import json
from typing import Any

from domain.generation.claims import invented_claims, invented_numbers, invented_quantities
from domain.generation.html_check import has_html
from domain.pages.page_writer import PageProduct

MAX_INTRO = 600
MAX_BODY = 1500
MAX_OUTPUT_TOKENS = 800

SYSTEM = (
    "You write the copy of an online store's landing page. Answer with one JSON object and"
    " nothing else: {\"intro_copy\": string, \"body\": string}. Both are plain text, no HTML,"
    f" no Markdown. intro_copy: at most {MAX_INTRO} characters, one short paragraph welcoming"
    f" the visitor to the page's theme. body: at most {MAX_BODY} characters, two or three short"
    " paragraphs separated by a blank line about the products listed. State only what the"
    " product data says: no numbers, prices, sizes, ratings or claims (best-selling,"
    " award-winning, guaranteed…) that it does not state.")


class MalformedPageAnswerError(ValueError):
    """The model did not answer with the object asked for."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageCopy:
    intro_copy: str
    body: str


def page_prompt(title: str, query: str, products: list[PageProduct]) -> tuple[str, str]:
    """The (system, user) prompt for the page titled `title` about `query`."""
    listed = [{"name": p.name, "category": p.category,
               "price": format(p.price, "f") if p.price is not None else None}
              for p in products]
    user = (f"Landing page: {json.dumps({'title': title, 'theme': query}, ensure_ascii=False)}\n"
            f"Products: {json.dumps(listed, ensure_ascii=False)}")
    return SYSTEM, user


def read_page_answer(text: str) -> PageCopy:
    """The copy in the model's answer (the first JSON object in it)."""
    start = text.find("{")
    try:
        answer, _ = json.JSONDecoder().raw_decode(text[start:]) if start >= 0 else (None, 0)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise MalformedPageAnswerError("the answer holds no JSON object")
    intro, body = answer.get("intro_copy"), answer.get("body")
    if not isinstance(intro, str) or not intro.strip():
        raise MalformedPageAnswerError("the answer has no intro_copy text")
    if not isinstance(body, str):
        raise MalformedPageAnswerError("the answer has no body text")
    return PageCopy(intro_copy=intro.strip(), body=body.strip())


def copy_problems(copy: PageCopy, title: str, query: str,
                  products: list[PageProduct]) -> list[str]:
    """Why the copy cannot go on the page (empty when it can)."""
    problems = []
    for label, text, limit in (("intro_copy", copy.intro_copy, MAX_INTRO),
                               ("body", copy.body, MAX_BODY)):
        if len(text) > limit:
            problems.append(f"{label} has {len(text)} characters, over the limit of {limit}")
        if has_html(text):
            problems.append(f"{label} contains HTML where plain text was asked for")
    source = json.dumps(_source(title, query, products), ensure_ascii=False)
    written = copy.intro_copy + " \n " + copy.body
    numbers = invented_numbers(written, source) + invented_quantities(written, source)
    if numbers:
        problems.append(f"numbers not in the product data: {', '.join(numbers[:5])}")
    claims = invented_claims(written, source)
    if claims:
        problems.append(f"claims not in the product data: {', '.join(claims[:5])}")
    return problems


def _source(title: str, query: str, products: list[PageProduct]) -> dict[str, Any]:
    return {"title": title, "query": query,
            "products": [[p.sku, p.name, p.category or "",
                          format(p.price, "f") if p.price is not None else ""] for p in products]}

"""The offline page-builder agent: plain instructions understood by rules, no model needed.

It reads the page first, then turns each instruction (split at `;`, a full stop, "then" or
a new line) into tool calls: "add a hero titled Winter sale", "show hoodies under 50 €",
"remove the testimonial", "move the product grid to the top", "change the headline to …",
"add a testimonial from Ana: Lovely fit", "add a call to action Shop now linking to /shop",
"add a text saying …". Products are searched before the grid that shows them is added.
An instruction it does not understand is said so, with what it can do.
"""

import contextlib
import re
from typing import Any

from domain.errors import DomainError
from domain.pages.agent_tools import BLOCK_TOOLS, AgentTurn, ToolCall, ToolResult
from domain.pages.builder import BlockOperation, apply

MAX_GRID = 12
TYPE_WORDS = {
    "hero": "hero", "header": "hero", "banner image": "hero",
    "product grid": "product_grid", "products": "product_grid", "grid": "product_grid",
    "product list": "product_grid", "text": "text_section", "text section": "text_section",
    "paragraph": "text_section", "call to action": "cta_banner", "cta": "cta_banner",
    "button": "cta_banner", "cta banner": "cta_banner", "features": "feature_list",
    "feature list": "feature_list", "testimonial": "testimonial", "quote": "testimonial",
    "review": "testimonial",
}
_Q = "[\"\u201c\u201d'\u2018\u2019]?"  # straight and typographic quotes
_SPLIT = re.compile(r"\s*(?:;|\n|(?<!\d)\.(?!\d)|\bthen\b|\band then\b)\s*", re.IGNORECASE)
_HERO = re.compile(rf"^(?:add|create|put|make)\s+(?:a\s+|an\s+|the\s+)?hero(?:\s+section)?"
                   rf"(?:\s+(?:titled|called|saying|with (?:the )?(?:headline|title)))?\s*:?\s*"
                   rf"{_Q}(?P<text>.+?){_Q}$", re.IGNORECASE)
_HEADLINE = re.compile(rf"^(?:change|set|make|rename)\s+(?:the\s+)?(?:hero(?:'s)?\s+)?"
                       rf"(?:headline|title|heading)\s+(?:to|into|as)\s+{_Q}(?P<text>.+?){_Q}$",
                       re.IGNORECASE)
_TESTIMONIAL = re.compile(rf"^add\s+(?:a\s+)?(?:testimonial|quote|review)\s+(?:from|by)\s+"
                          rf"(?P<author>[^:,]+?)\s*[:,]\s*{_Q}(?P<quote>.+?){_Q}$", re.IGNORECASE)
_CTA = re.compile(rf"^add\s+(?:a\s+)?(?:call to action|cta|button)\s+(?:saying\s+)?"
                  rf"{_Q}(?P<text>.+?){_Q}\s+(?:linking|pointing|going)\s+to\s+"
                  rf"(?P<url>(?:https?://|/)\S+)$", re.IGNORECASE)
_TEXT = re.compile(rf"^add\s+(?:a\s+|some\s+)?(?:text|paragraph|text section)\s*"
                   rf"(?:saying|that says|:)\s*{_Q}(?P<body>.+?){_Q}$", re.IGNORECASE)
_REMOVE = re.compile(r"^(?:remove|delete|drop)\s+(?:the\s+|a\s+|an\s+)?(?P<what>.+?)"
                     r"(?:\s+(?:block|section))?$", re.IGNORECASE)
_MOVE = re.compile(r"^move\s+(?:the\s+)?(?P<what>.+?)(?:\s+(?:block|section))?\s+(?:to\s+)?"
                   r"(?:the\s+)?(?P<where>top|start|beginning|bottom|end)$", re.IGNORECASE)
_SHOW = re.compile(r"^(?:show|display|list|feature|add)\s+(?:me\s+)?(?:some\s+|the\s+|our\s+|all\s+)?"
                   r"(?P<query>.+?)(?:\s+(?:under|below|for less than|less than|up to|cheaper than|"
                   r"at most)\s+(?P<price>\d+(?:[.,]\d+)?)\s*(?:€|eur|euros?|\$|usd|dollars?)?)?$",
                   re.IGNORECASE)
HELP = ("I can add a hero titled …, show <products> under <price>, remove or move a block (to"
        " the top or the end), change the headline to …, add a testimonial from <name>: <quote>,"
        " add a call to action <text> linking to <url>, and add a text saying ….")


def _type_of(words: str) -> str | None:
    cleaned = re.sub(r"\s+", " ", words.strip().lower()).removesuffix("s") if words else ""
    return TYPE_WORDS.get(words.strip().lower()) or TYPE_WORDS.get(cleaned)


def instructions(message: str) -> list[str]:
    return [part.strip(" ,") for part in _SPLIT.split(message) if part and part.strip(" ,")]


class RuleAgent:
    """One session: `turn` is called with the results of the previous turn's calls."""

    def __init__(self, message: str) -> None:
        self.message = message
        self._turn = 0
        self._blocks: list[dict[str, Any]] = []
        self._plan: list[tuple[str, Any]] = []
        self._said: list[str] = []
        self._failed: list[str] = []

    def turn(self, results: list[ToolResult]) -> AgentTurn:
        self._turn += 1
        self._failed += [str(r.content) for r in results if r.is_error]
        if self._turn == 1:
            return AgentTurn(text="Reading the page.", calls=(ToolCall(id="read", name="read_page",
                                                                      input={}),))
        if self._turn == 2:
            page: Any = next((r.content for r in results if r.call_id == "read"), {})
            self._blocks = list(page.get("blocks", [])) if isinstance(page, dict) else []
            self._plan = [self._simulate(self._understand(part))
                          for part in instructions(self.message)]
            searches = [ToolCall(id=f"search-{n}", name="search_products", input=step)
                        for n, (kind, step) in enumerate(self._plan) if kind == "search"]
            if searches:
                return AgentTurn(text="Looking for the products.", calls=tuple(searches))
        if self._turn <= 3 and self._plan:
            found = {r.call_id: r.content for r in results if not r.is_error}
            calls = self._calls(found)
            self._plan = []
            if calls:
                return AgentTurn(text=" ".join(self._said), calls=tuple(calls))
        return AgentTurn(text=self._summary())

    def _calls(self, found: dict[str, Any]) -> list[ToolCall]:
        calls: list[ToolCall] = []
        for n, (kind, step) in enumerate(self._plan):
            if kind == "call":
                calls.append(ToolCall(id=f"op-{n}", name=step[0], input=step[1]))
            elif kind == "search":
                products = found.get(f"search-{n}", {}).get("products", [])
                if not products:
                    self._said.append(f"No products match “{step['query']}”.")
                    continue
                calls.append(ToolCall(id=f"op-{n}", name="add_block", input={
                    "type": "product_grid", "props": {
                        "title": step["query"][:1].upper() + step["query"][1:200],
                        "product_skus": [p["sku"] for p in products[:MAX_GRID]],
                        "columns": min(3, len(products)), "show_prices": True}}))
            elif kind == "say":
                self._said.append(str(step))
        return calls

    def _summary(self) -> str:
        if self._failed:
            return "Some changes could not be made: " + "; ".join(self._failed)
        return " ".join(self._said) or "Done."

    def _simulate(self, step: tuple[str, Any]) -> tuple[str, Any]:
        """Keep track of the page as the planned calls will leave it, so a later instruction
        can name a block an earlier one adds ("add a testimonial …; move the testimonial …")."""
        kind, what = step
        if kind == "search":
            operation = BlockOperation(operation="add", block_type="product_grid",
                                       props={"product_skus": []})
        elif kind == "call":
            name, args = what
            operation = BlockOperation(
                operation=BLOCK_TOOLS[name], block_id=args.get("block_id"),  # type: ignore[arg-type]
                block_type=args.get("type"), props=args.get("props"),
                position=args.get("position"))
        else:
            return step
        with contextlib.suppress(DomainError):
            self._blocks = list(apply(self._blocks, operation).blocks)
        return step

    def _first(self, block_type: str | None, words: str) -> str | None:
        for block in self._blocks:
            if block.get("id") == words.strip() or (block_type and block.get("type") == block_type):
                return str(block.get("id"))
        return None

    def _understand(self, text: str) -> tuple[str, Any]:
        if match := _HERO.match(text):
            return "call", ("add_block", {"type": "hero", "position": 0,
                                          "props": {"headline": match["text"][:200]}})
        if match := _HEADLINE.match(text):
            hero = self._first("hero", "hero")
            if hero is None:
                return "say", "The page has no hero to retitle."
            return "call", ("update_block", {"block_id": hero,
                                             "props": {"headline": match["text"][:200]}})
        if match := _TESTIMONIAL.match(text):
            return "call", ("add_block", {"type": "testimonial", "props": {
                "author": match["author"].strip()[:120], "quote": match["quote"][:1000]}})
        if match := _CTA.match(text):
            return "call", ("add_block", {"type": "cta_banner", "props": {
                "text": match["text"][:300], "button_text": match["text"][:60],
                "button_url": match["url"]}})
        if match := _TEXT.match(text):
            return "call", ("add_block", {"type": "text_section", "props": {"body": match["body"]}})
        if match := _MOVE.match(text):
            return self._block_step(match["what"], "move_block", {
                "position": 0 if match["where"].lower() in ("top", "start", "beginning")
                else max(0, len(self._blocks) - 1)})
        if match := _REMOVE.match(text):
            return self._block_step(match["what"], "remove_block", {})
        if (match := _SHOW.match(text)) and _type_of(match["query"]) is None:
            step: dict[str, Any] = {"query": match["query"].strip()}
            if match["price"]:
                step["max_price"] = float(match["price"].replace(",", "."))
            return "search", step
        return "say", f"I did not understand “{text}”. {HELP}"

    def _block_step(self, words: str, tool: str, extra: dict[str, Any]) -> tuple[str, Any]:
        block_id = self._first(_type_of(words), words)
        if block_id is None:
            return "say", f"The page has no {words.strip()}."
        return "call", (tool, {"block_id": block_id, **extra})

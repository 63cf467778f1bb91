"""The organization's design system: colour, font and spacing tokens, and custom CSS.

There is one per organization; until it is first changed it is `DEFAULTS`. Every value is
checked here: colours are hex, fonts are family names, the radius a CSS length, the spacing
whole pixels; custom CSS is cleaned so that it cannot leave the `<style>` element it is
served in nor pull in anything (`clean_css`).
"""

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError
from domain.events import DomainEvent
from domain.pages.events import DesignSystemChanged

DESIGN_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:design-system")
DEFAULTS: dict[str, Any] = {
    "primary_color": "#1F2937", "secondary_color": "#2563EB", "background_color": "#FFFFFF",
    "text_color": "#111827", "heading_font": "Inter", "body_font": "Inter",
    "border_radius": "8px", "spacing_unit": 8, "custom_css": "",
}
COLORS = ("primary_color", "secondary_color", "background_color", "text_color")
FONTS = ("heading_font", "body_font")
MAX_CSS_CHARS = 20_000
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{0,59}")
_LENGTH = re.compile(r"(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))")
_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_EXPRESSION = re.compile(r"expression\s*\(|javascript\s*:|behavior\s*:|-moz-binding",
                         re.IGNORECASE)


def design_system_id(org_id: UUID) -> UUID:
    return uuid5(DESIGN_NAMESPACE, str(org_id))


def clean_css(css: str) -> str:
    """Custom CSS that stays inside its style element: `<` is written as the CSS escape
    `\\3c ` (so no `</style>` can appear), `@import` rules are dropped (nothing is fetched
    from elsewhere) and script-like values (`expression(`, `javascript:`) are refused."""
    if len(css) > MAX_CSS_CHARS:
        raise InvalidCommandError(f"custom_css must be at most {MAX_CSS_CHARS} characters")
    if "\x00" in css:
        raise InvalidCommandError("custom_css must not contain NUL characters")
    if _EXPRESSION.search(css):
        raise InvalidCommandError("custom_css must not contain script (expression(),"
                                  " javascript:, behavior, -moz-binding)")
    return _IMPORT.sub("", css).replace("<", "\\3c ")


def check_tokens(values: dict[str, Any]) -> dict[str, Any]:
    """The given tokens checked (InvalidCommandError naming the first bad one)."""
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name in COLORS:
            if not isinstance(value, str) or not _HEX.fullmatch(value):
                raise InvalidCommandError(f"{name} must be a hex colour such as #1A2B3C")
            checked[name] = value.upper()
        elif name in FONTS:
            if not isinstance(value, str) or not _FONT.fullmatch(value.strip()):
                raise InvalidCommandError(
                    f"{name} must be a font family name (letters, digits, spaces, hyphens)")
            checked[name] = value.strip()
        elif name == "border_radius":
            if not isinstance(value, str) or not _LENGTH.fullmatch(value.strip()):
                raise InvalidCommandError(
                    "border_radius must be a CSS length such as 8px, 0.5rem or 50%")
            checked[name] = value.strip()
        elif name == "spacing_unit":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
                raise InvalidCommandError("spacing_unit must be whole pixels from 1 to 64")
            checked[name] = value
        elif name == "custom_css":
            if not isinstance(value, str):
                raise InvalidCommandError("custom_css must be a string")
            checked[name] = clean_css(value)
        else:
            raise InvalidCommandError(f"{name} is not a design token")
    return checked


class DesignSystem(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.tokens: dict[str, Any] = dict(DEFAULTS)

    def change(self, org_id: UUID, values: dict[str, Any]) -> bool:
        """Apply the given tokens; False (nothing recorded) when nothing changes."""
        tokens = {**self.tokens, **check_tokens(values)}
        if tokens == self.tokens:
            return False
        self._record(DesignSystemChanged(org_id=org_id, **tokens))
        return True

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case DesignSystemChanged():
                self.tokens = {name: getattr(event, name) for name in DEFAULTS}
            case _:
                pass

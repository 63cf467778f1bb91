"""An HTML page's preview image: what an image model is asked for, the page's own colours
for the offline card, and the file's name.

The colours are the page's CSS hex colours, most used first: the background is the most
used one light type reads well on (WCAG contrast ≥ 4.5 against near-white), the accent the
most used other one. A page without such colours gets the card's own.
"""

import hashlib
import re
from collections import Counter

from domain.generation.text import visible_text
from domain.pages.colour_suggestions import LIGHT_TEXT, RGB, contrast

MAX_INSTRUCTIONS = 1000
MAX_PROMPT_TEXT = 600
SIZE = "1792x1024"
"""A wide card, as social previews are shown."""
FILE_NAME = re.compile(r"page-[0-9]{1,10}-[0-9a-f]{16}\.(png|jpg|webp)")
MIME = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_STYLE_OR_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def preview_prompt(name: str, html: str, instructions: str) -> str:
    """What the image model is asked: the page's name, what it says, the user's wishes."""
    text = visible_text(_STYLE_OR_SCRIPT.sub(" ", html))[:MAX_PROMPT_TEXT]
    prompt = (f"A clean, modern preview image for a web page titled “{name}”, as shown when"
              " the page is shared. No text in the image.")
    if text:
        prompt += f" The page says: {text}"
    if instructions.strip():
        prompt += f" Style wishes: {instructions.strip()}"
    return prompt


def page_colours(html: str) -> tuple[RGB, RGB] | None:
    """(background, accent) for the card from the page's CSS colours; None without them."""
    counted = Counter(_rgb(match) for match in _HEX.findall(html))
    ranked = [colour for colour, _ in counted.most_common()]
    dark = [c for c in ranked if contrast(c, LIGHT_TEXT) >= 4.5]
    if not dark:
        return None
    background = dark[0]
    others = [c for c in ranked if c != background]
    return background, others[0] if others else LIGHT_TEXT


def preview_file_name(number: int, data: bytes, extension: str) -> str:
    """`page-<number>-<16 hex of the picture's SHA-256>.<extension>`: a new picture, a new
    name, so the file can be cached for ever."""
    return f"page-{number}-{hashlib.sha256(data).hexdigest()[:16]}.{extension}"


def _rgb(hex_digits: str) -> RGB:
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    value = int(hex_digits, 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255

"""The offline picture: a typographic card drawn with Pillow — the post's title set large on
a colour chosen from the title itself (the same title, the same card), with a thin accent
bar — a real PNG of the size asked for, when no image model can be called."""

import colorsys
import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

MARGIN = 0.08
MAX_LINES = 6
RGB = tuple[int, int, int]
Colours = tuple[RGB, RGB]
"""A card's background and accent."""


def _colours(title: str) -> Colours:
    hue = int.from_bytes(hashlib.sha256(title.encode()).digest()[:2], "big") / 65535
    back = colorsys.hls_to_rgb(hue, 0.22, 0.45)
    accent = colorsys.hls_to_rgb((hue + 0.5) % 1, 0.62, 0.7)
    return (tuple(int(c * 255) for c in back), tuple(int(c * 255) for c in accent))  # type: ignore[return-value]


def _wrap(draw: ImageDraw.ImageDraw, text: str,
          font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def typographic_card(title: str, width: int = 1024, height: int = 1024,
                     colours: Colours | None = None) -> bytes:
    """A PNG card `width`x`height` with `title` wrapped to fit, in `colours` when given
    (the background should be dark enough for light type), else in the title's own."""
    text = " ".join(title.split()) or "Untitled"
    back, accent = colours or _colours(text)
    image = Image.new("RGB", (width, height), back)
    draw = ImageDraw.Draw(image)
    margin = int(min(width, height) * MARGIN)
    size = max(12, int(min(width, height) / 9))
    while True:  # the largest type at which the title fits in MAX_LINES lines
        font = ImageFont.load_default(size=size)
        lines = _wrap(draw, text, font, width - 2 * margin)
        line_height = int(size * 1.2)
        if (len(lines) <= MAX_LINES and line_height * len(lines) <= height - 3 * margin
                and all(draw.textlength(line, font=font) <= width - 2 * margin
                        for line in lines)) or size <= 12:
            break
        size = int(size * 0.85)
    top = (height - line_height * len(lines)) // 2
    draw.rectangle((margin, top - margin // 2 - 8, margin + width // 6, top - margin // 2),
                   fill=accent)
    for n, line in enumerate(lines[:MAX_LINES]):
        draw.text((margin, top + n * line_height), line, font=font, fill=(250, 250, 247))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()

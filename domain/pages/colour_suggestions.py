"""Design tokens suggested from an image's dominant colours (what the offline extractor reads).

The colours come with their share of the picture. The most common one is the background;
the text colour is whichever of near-black and near-white reads better on it (WCAG contrast);
the primary and secondary colours are the most vivid of the rest that cover enough of the
picture to be deliberate. Fonts cannot be read from colours: they are left out.
"""

import colorsys
import dataclasses

RGB = tuple[int, int, int]
MIN_SHARE = 0.02
"""A colour covering less of the picture than this is noise (anti-aliasing, a stray pixel)."""
DARK_TEXT, LIGHT_TEXT = (17, 24, 39), (249, 250, 251)


@dataclasses.dataclass(frozen=True)
class Colour:
    rgb: RGB
    share: float
    """Of the picture's pixels, 0..1."""

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)

    @property
    def vividness(self) -> float:
        """Saturation weighted by how far from black or white the colour is."""
        _hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in self.rgb))
        return saturation * (1 - abs(2 * lightness - 1))


def luminance(rgb: RGB) -> float:
    """Relative luminance as WCAG defines it."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _distinct(a: RGB, b: RGB) -> bool:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) > 40 ** 2


def suggest_colours(colours: list[Colour]) -> dict[str, str]:
    """`background_color`, `text_color`, `primary_color` and `secondary_color` from the
    picture's colours (most common first is not required); fewer when it has fewer."""
    ranked = sorted((c for c in colours if c.share >= MIN_SHARE), key=lambda c: -c.share)
    if not ranked:
        return {}
    background = ranked[0]
    text = max((DARK_TEXT, LIGHT_TEXT), key=lambda t: contrast(t, background.rgb))
    suggestions = {"background_color": background.hex,
                   "text_color": "#{:02X}{:02X}{:02X}".format(*text)}
    accents: list[Colour] = []
    for colour in sorted(ranked[1:], key=lambda c: -c.vividness * c.share ** 0.5):
        if _distinct(colour.rgb, background.rgb) and all(_distinct(colour.rgb, a.rgb) for a in accents):
            accents.append(colour)
    for name, colour in zip(("primary_color", "secondary_color"), accents, strict=False):
        suggestions[name] = colour.hex
    return suggestions

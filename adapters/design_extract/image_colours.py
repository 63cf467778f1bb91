"""Reading a picture's dominant colours with Pillow: the bytes must decode as an image (the
name or declared type of the file does not matter), it is shrunk, then quantised by an
octree to a few colours counted over every pixel (median cut merged a small accent with
its neighbours in JPEG pictures; the octree keeps it)."""

import io
import warnings

from PIL import Image, UnidentifiedImageError

from domain.errors import InvalidCommandError
from domain.pages.colour_suggestions import Colour

PALETTE = 8
SIDE = 160
MAX_PIXELS = 40_000_000
"""A picture larger than this is refused before it is decoded (a decompression bomb)."""
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def open_image(data: bytes) -> Image.Image:
    """The decoded picture; InvalidCommandError when the bytes are not a PNG, JPEG, GIF or
    WebP image, or are too large to decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise InvalidCommandError("the URL must point at a PNG, JPEG, GIF or WebP image")
            if image.width * image.height > MAX_PIXELS:
                raise InvalidCommandError("the image has too many pixels")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        raise InvalidCommandError(f"the URL does not point at a readable image ({error})") from None
    return image


def media_type(image: Image.Image) -> str:
    return FORMATS[str(image.format)]


def dominant_colours(image: Image.Image, count: int = PALETTE) -> list[Colour]:
    """The picture's `count` commonest colours after quantisation, with their shares."""
    rgb = image.convert("RGBA")
    background = Image.new("RGBA", rgb.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, rgb).convert("RGB")  # transparency reads as white
    flat.thumbnail((SIDE, SIDE))
    quantised = flat.quantize(colors=count, method=Image.Quantize.FASTOCTREE)
    palette = quantised.getpalette() or []
    counts = quantised.getcolors(maxcolors=count) or []
    total = sum(n for n, _ in counts) or 1
    colours = []
    for n, index in counts:
        assert isinstance(index, int)
        r, g, b = palette[index * 3:index * 3 + 3]
        colours.append(Colour((r, g, b), n / total))
    return sorted(colours, key=lambda c: -c.share)

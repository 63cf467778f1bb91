"""An image as copydesk keeps it: the bytes must decode as a PNG, JPEG, WebP or GIF picture
(what the name or the declared type say does not matter), the pixel count is checked before
the pixels are decoded (a decompression bomb), the orientation EXIF asks for is applied, and
the picture is re-encoded from its pixels alone, so no metadata (EXIF, GPS, XMP, ICC, text
chunks) survives. A very large picture is scaled down to `MAX_SIDE`."""

import dataclasses
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from domain.errors import InvalidCommandError

MAX_PIXELS = 40_000_000
MAX_SIDE = 4096
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
JPEG_QUALITY = 85


@dataclasses.dataclass(frozen=True)
class CleanImage:
    data: bytes = dataclasses.field(repr=False)
    mime: str
    extension: str
    width: int
    height: int


def decode(data: bytes) -> Image.Image:
    """The decoded picture; InvalidCommandError (422) for bytes that are not a supported
    image or have too many pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise InvalidCommandError(
                    f"the image has too many pixels ({image.width}x{image.height})")
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InvalidCommandError("the image has too many pixels") from None
    except UnidentifiedImageError:
        raise InvalidCommandError("the file is not a PNG, JPEG, WebP or GIF image") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidCommandError(f"the image cannot be read ({error})") from None
    return image


def clean(data: bytes) -> CleanImage:
    """`data` checked and re-encoded without metadata: a JPEG stays a JPEG, a picture with
    transparency (or a GIF's first frame) becomes a PNG, a WebP stays a WebP."""
    image = decode(data)
    source_format = image.format
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info)
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    if max(pixels.size) > MAX_SIDE:
        pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # pixels, nothing else
    out = io.BytesIO()
    if source_format == "JPEG" and not has_alpha:
        bare.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        mime, extension = "image/jpeg", "jpg"
    elif source_format == "WEBP":
        bare.save(out, "WEBP", quality=JPEG_QUALITY)
        mime, extension = "image/webp", "webp"
    else:
        bare.save(out, "PNG", optimize=True)
        mime, extension = "image/png", "png"
    return CleanImage(out.getvalue(), mime, extension, bare.width, bare.height)

"""Blog images without a server of ours: uploads must be real pictures (the bytes decide),
a decompression bomb is refused before its pixels are decoded, EXIF and other metadata are
gone after re-encoding (orientation applied first), the offline card is a real PNG of the
size asked for that changes with the title, and OpenAI Images is called through the
official SDK against a local fake."""

import base64
import io
import zlib
from collections.abc import Iterator

import pytest
from PIL import Image, PngImagePlugin

from adapters.images.card import typographic_card
from adapters.images.openai_images import ImageGenerationError, generate_image
from adapters.images.processing import MAX_SIDE, clean, decode
from domain.errors import InvalidCommandError
from tests.fakes.openai_images_server import FakeOpenAIImages, running_fake_openai_images
from tests.fakes.stock_photo_server import photo_jpeg


def _png(width: int, height: int, mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 20, 30) if mode == "RGB" else (10, 20, 30, 128)
              ).save(out, "PNG", **save)
    return out.getvalue()


def test_bytes_that_are_not_an_image_are_refused_whatever_the_name() -> None:
    for data in (b"%PDF-1.4 not a picture", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                 b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b""):
        with pytest.raises(InvalidCommandError):
            clean(data)


@pytest.mark.parametrize("side", [(20000, 20000), (8000, 6250)])
def test_a_decompression_bomb_is_refused_before_decoding(side: tuple[int, int]) -> None:
    # the header claims 400 (or 50) megapixels of a 1-pixel file: refused from the header
    header = bytearray(_png(1, 1))
    header[16:24] = side[0].to_bytes(4, "big") + side[1].to_bytes(4, "big")
    header[29:33] = zlib.crc32(bytes(header[12:29])).to_bytes(4, "big")  # a valid IHDR
    with pytest.raises(InvalidCommandError, match="too many pixels"):
        decode(bytes(header))


def test_exif_and_text_chunks_do_not_survive_re_encoding() -> None:
    jpeg = photo_jpeg(80, 60)
    assert Image.open(io.BytesIO(jpeg)).getexif()  # the source carries EXIF
    out = clean(jpeg)
    assert out.mime == "image/jpeg" and (out.width, out.height) == (80, 60)
    again = Image.open(io.BytesIO(out.data))
    assert not again.getexif() and "exif" not in again.info and b"FakeCam" not in out.data
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret author")
    png = clean(_png(30, 20, pnginfo=info))
    assert png.mime == "image/png" and b"secret author" not in png.data
    assert Image.open(io.BytesIO(png.data)).info.get("Author") is None


def test_orientation_is_applied_before_the_metadata_goes() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    source = io.BytesIO()
    Image.new("RGB", (40, 20), (1, 2, 3)).save(source, "JPEG", exif=exif)
    out = clean(source.getvalue())
    assert (out.width, out.height) == (20, 40)


def test_transparency_stays_and_huge_pictures_are_scaled_down() -> None:
    rgba = clean(_png(10, 10, "RGBA"))
    assert rgba.mime == "image/png" and Image.open(io.BytesIO(rgba.data)).mode == "RGBA"
    big = clean(_png(MAX_SIDE * 2, 100))
    assert (big.width, big.height) == (MAX_SIDE, 50)


def test_the_offline_card_is_a_png_of_the_size_asked_for() -> None:
    card = typographic_card("Five ways to wear washed linen this summer", 1792, 1024)
    image = Image.open(io.BytesIO(card))
    assert image.format == "PNG" and image.size == (1792, 1024)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 2, "the title is drawn"
    other = Image.open(io.BytesIO(typographic_card("A different title", 1792, 1024)))
    assert other.convert("RGB").getpixel((1, 1)) != image.convert("RGB").getpixel((1, 1))
    assert typographic_card("Same", 300, 300) == typographic_card("Same", 300, 300)
    long_title = typographic_card("word " * 200, 512, 512)
    assert Image.open(io.BytesIO(long_title)).size == (512, 512)


@pytest.fixture
def openai_fake() -> Iterator[FakeOpenAIImages]:
    with running_fake_openai_images() as fake:
        fake.keys.add("sk-test-images")
        yield fake


async def test_openai_images_are_asked_for_base64_through_the_sdk(
    openai_fake: FakeOpenAIImages,
) -> None:
    data = await generate_image(api_key="sk-test-images", base_url=openai_fake.base_url,
                                timeout=5, prompt="a linen shirt", size="1792x1024",
                                quality="hd", style="vivid")
    assert Image.open(io.BytesIO(data)).size == (224, 128)
    sent = openai_fake.requests[-1]
    assert sent["response_format"] == "b64_json" and sent["model"] == "dall-e-3"
    assert (sent["size"], sent["quality"], sent["style"]) == ("1792x1024", "hd", "vivid")
    assert base64.b64encode(data)


async def test_a_refused_openai_key_is_a_refusal(openai_fake: FakeOpenAIImages) -> None:
    with pytest.raises(ImageGenerationError) as caught:
        await generate_image(api_key="sk-wrong", base_url=openai_fake.base_url, timeout=5,
                             prompt="x", size="1024x1024", quality="standard",
                             style="natural")
    assert caught.value.refused
    with pytest.raises(ImageGenerationError) as gone:
        await generate_image(api_key="sk-test-images", base_url="http://127.0.0.1:9/v1",
                             timeout=2, prompt="x", size="1024x1024", quality="standard",
                             style="natural")
    assert not gone.value.refused

"""A blog post's images over real HTTP: from a stock photo (downloaded through the
outbound-URL guard from a local fake, credited, Unsplash's download location called), an
upload (checked by its bytes, re-encoded without EXIF; 422 for a file that is not a picture
whatever its name, 413 for a 50 MB upload without reading it), an AI picture (OpenAI Images
through the SDK against a local fake with the organization's key, else the offline card),
listed, served by copydesk and deleted with its file; another organization's post or image
is a 404."""

import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from adapters.embedded import EmbeddedServers
from adapters.files.store import file_store_for
from tests.e2e.catalog_steps import new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.openai_images_server import FakeOpenAIImages, running_fake_openai_images
from tests.fakes.stock_photo_server import FakeStockPhotos, photo_jpeg, running_fake_stock_photos
from tests.support import Stack, own_stack

UNSPLASH_KEY, OPENAI_KEY = "img-unsplash-key-4Rt", "sk-org-images-key-9Qa"
IMAGE_FIELDS = {"id", "blog_post_id", "s3_key", "original_url", "source", "alt_text", "width",
                "height", "file_size", "variants", "created_at", "updated_at"}


@pytest.fixture(scope="module")
def stock() -> Iterator[FakeStockPhotos]:
    with running_fake_stock_photos() as fake:
        fake.unsplash_keys.add(UNSPLASH_KEY)
        yield fake


@pytest.fixture(scope="module")
def openai_images() -> Iterator[FakeOpenAIImages]:
    with running_fake_openai_images() as fake:
        fake.keys.add(OPENAI_KEY)
        yield fake


@pytest.fixture(scope="module")
def images_stack(servers: EmbeddedServers, stock: FakeStockPhotos,
                 openai_images: FakeOpenAIImages,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("images-stack"), worker=False,
                   unsplash_base_url=stock.base_url, pexels_base_url=stock.base_url,
                   openai_base_url=openai_images.base_url, feeds_allow_loopback=True,
                   blog_image_max_mb=2.0) as stack:
        yield stack


@pytest.fixture(scope="module")
def tenant(images_stack: Stack) -> Tenant:
    return new_tenant(images_stack, "Images Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str], body: object = None,
         **kwargs: Any) -> httpx.Response:
    if body is not None:
        kwargs["json"] = body
    return httpx.request(method, f"{stack.base_url}{path}", headers=headers, timeout=60,
                         **kwargs)


def new_post(stack: Stack, tenant: Tenant) -> str:
    project = new_project(stack, tenant, "Images project")
    response = call(stack, "POST", f"/api/v1/projects/{project['id']}/blog-posts",
                    tenant.headers, {"post_type": "how_to", "topic": "Washing linen by hand"})
    assert response.status_code == 200, response.text
    return f"/api/v1/projects/{project['id']}/blog-posts/{response.json()['id']}/images"


@pytest.fixture(scope="module")
def images(images_stack: Stack, tenant: Tenant) -> str:
    return new_post(images_stack, tenant)


def served(stack: Stack, image: dict[str, Any]) -> Image.Image:
    response = httpx.get(image["variants"]["original"]["url"].replace(
        stack.settings.links_base(), stack.base_url), timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == image["variants"]["original"]["mime"]
    assert len(response.content) == image["file_size"]
    return Image.open(io.BytesIO(response.content))


def test_a_stock_photo_is_kept_credited_and_its_download_counted(
    images_stack: Stack, tenant: Tenant, images: str, stock: FakeStockPhotos,
) -> None:
    key = call(images_stack, "POST", "/api/v1/stock-photo-keys", tenant.headers,
               {"provider": "unsplash", "api_key": UNSPLASH_KEY})
    assert key.status_code == 200
    found = call(images_stack, "GET", "/api/v1/stock-photos/search", tenant.headers,
                 params={"q": "linen", "per_page": 1}).json()["photos"][0]
    response = call(images_stack, "POST", images + "/from-stock", tenant.headers, {
        "photo_url": found["src"]["medium"], "alt_text": found["alt"],
        "photographer": found["photographer"], "original_url": found["url"],
        "provider": "unsplash", "download_location": found["download_location"]})
    assert response.status_code == 200, response.text
    image = response.json()
    assert set(image) >= IMAGE_FIELDS and image["source"] == "stock"
    assert image["attribution"] == "Photo by Una Splash 0 on Unsplash"
    assert image["original_url"] == found["url"] and image["alt_text"] == "linen number 0"
    assert stock.downloads == [found["provider_id"]]
    picture = served(images_stack, image)
    assert picture.format == "JPEG" and not picture.getexif() and picture.size == (64, 48)
    listed = call(images_stack, "GET", images, tenant.headers).json()
    assert image in listed


def test_a_stock_url_inside_the_network_is_refused(
    images_stack: Stack, tenant: Tenant, images: str,
) -> None:
    for url in ("http://169.254.169.254/latest/meta-data", "file:///etc/passwd",
                "http://10.0.0.1/photo.jpg"):
        response = call(images_stack, "POST", images + "/from-stock", tenant.headers,
                        {"photo_url": url})
        assert response.status_code == 422 and "photo_url" in response.json()["detail"], url


def test_an_upload_is_checked_by_its_bytes_and_stripped_of_exif(
    images_stack: Stack, tenant: Tenant, images: str,
) -> None:
    jpeg = photo_jpeg(120, 80)
    response = call(images_stack, "POST", images + "/upload", tenant.headers,
                    params={"alt_text": "A sand linen shirt"},
                    files={"file": ("shirt.txt", jpeg, "text/plain")})
    assert response.status_code == 200, response.text
    image = response.json()
    assert (image["source"], image["width"], image["height"]) == ("upload", 120, 80)
    assert image["alt_text"] == "A sand linen shirt" and image["original_url"] == ""
    with file_store_for(images_stack.settings).open(image["s3_key"]) as kept:
        data = kept.read()
    assert b"FakeCam" not in data and not Image.open(io.BytesIO(data)).getexif()
    for name, body in (("photo.png", b"%PDF-1.7 pretending"), ("photo.jpg", b"GIF89a broken")):
        bad = call(images_stack, "POST", images + "/upload", tenant.headers,
                   files={"file": (name, body, "image/png")})
        assert bad.status_code == 422, bad.text
    missing = call(images_stack, "POST", images + "/upload", tenant.headers,
                   files={"other": ("x.png", b"not the file", "image/png")})
    assert missing.status_code == 400 and "file" in missing.json()["detail"]


def _peak_memory(stack: Stack) -> int:
    """The API process's peak resident memory so far, in bytes (Linux's VmHWM)."""
    status = Path(f"/proc/{stack.processes.running['api'].pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) * 1024


def test_a_50_mb_upload_is_refused_unread(
    images_stack: Stack, tenant: Tenant, images: str,
) -> None:
    def body() -> Iterator[bytes]:  # 50 MB, made as it is sent; a chunked body has no length
        yield (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\""
               b"\r\nContent-Type: image/png\r\n\r\n")
        for _ in range(50):
            yield b"\0" * (1 << 20)
        yield b"\r\n--b--\r\n"

    headers = {**tenant.headers, "Content-Type": "multipart/form-data; boundary=b"}
    before = _peak_memory(images_stack)
    try:
        status = httpx.post(f"{images_stack.base_url}{images}/upload", headers=headers,
                            content=body(), timeout=60).status_code
    except httpx.HTTPError:  # the server may close the connection while we still send
        status = 413
    assert status == 413
    assert _peak_memory(images_stack) - before < 20 << 20, "the body was not held in memory"
    assert _announced_answer(images_stack, images + "/upload", headers, 50 << 20) == 413


def _announced_answer(stack: Stack, path: str, headers: dict[str, str], length: int) -> int:
    """The status answered to a request that announces `length` bytes and sends none."""
    host, port = stack.base_url.removeprefix("http://").split(":")
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{head}"
                     f"Content-Length: {length}\r\n\r\n".encode())
        return int(sock.recv(4096).split(b" ", 2)[1])


def test_an_ai_picture_uses_the_organizations_openai_key(
    images_stack: Stack, tenant: Tenant, images: str, openai_images: FakeOpenAIImages,
) -> None:
    keyed = new_tenant(images_stack, "Images Keyed")
    saved = call(images_stack, "PATCH", "/api/v1/organization/api-keys", keyed.headers,
                 {"openai_api_key": OPENAI_KEY})
    assert saved.status_code < 300, saved.text
    post_images = new_post(images_stack, keyed)
    response = call(images_stack, "POST", post_images + "/ai-generate", keyed.headers,
                    {"prompt": "linen shirts drying in the sun", "size": "1792x1024",
                     "quality": "hd", "style": "vivid"})
    assert response.status_code == 200, response.text
    image = response.json()
    assert (image["source"], image["width"], image["height"]) == ("ai", 224, 128)
    sent = openai_images.requests[-1]
    assert sent["_key"] == OPENAI_KEY and sent["response_format"] == "b64_json"
    assert (sent["size"], sent["quality"], sent["style"]) == ("1792x1024", "hd", "vivid")


def test_without_a_key_the_ai_picture_is_the_offline_card(
    images_stack: Stack, tenant: Tenant, images: str, openai_images: FakeOpenAIImages,
) -> None:
    before = len(openai_images.requests)
    response = call(images_stack, "POST", images + "/ai-generate", tenant.headers,
                    {"prompt": "a title card", "size": "1024x1792"})
    assert response.status_code == 200, response.text
    image = response.json()
    assert (image["width"], image["height"]) == (1024, 1792)
    picture = served(images_stack, image)
    assert picture.format == "PNG" and len(picture.convert("RGB").getcolors(1 << 16) or []) > 2
    assert len(openai_images.requests) == before
    bad = call(images_stack, "POST", images + "/ai-generate", tenant.headers,
               {"prompt": "x", "size": "5x5"})
    assert bad.status_code == 400 and "size" in bad.text


def test_a_deleted_image_and_its_file_are_gone(
    images_stack: Stack, tenant: Tenant, images: str,
) -> None:
    image = call(images_stack, "POST", images + "/upload", tenant.headers,
                 files={"file": ("a.jpg", photo_jpeg(), "image/jpeg")}).json()
    gone = call(images_stack, "DELETE", f"{images}/{image['id']}", tenant.headers)
    assert gone.status_code == 204 and not gone.content
    assert image["id"] not in str(call(images_stack, "GET", images, tenant.headers).json())
    with pytest.raises(KeyError):
        file_store_for(images_stack.settings).open(image["s3_key"])
    file_url = f"{images_stack.base_url}/api/v1/blog-images/{image['id']}/file"
    assert httpx.get(file_url, timeout=30).status_code == 404
    again = call(images_stack, "DELETE", f"{images}/{image['id']}", tenant.headers)
    assert again.status_code == 404


def test_a_deleted_post_takes_its_images_and_their_files_with_it(
    images_stack: Stack, tenant: Tenant,
) -> None:
    images = new_post(images_stack, tenant)
    made = [call(images_stack, "POST", images + "/upload", tenant.headers,
                 files={"file": (f"{n}.jpg", photo_jpeg(), "image/jpeg")}).json()
            for n in range(2)]
    assert all("id" in image for image in made), made

    gone = call(images_stack, "DELETE", images.removesuffix("/images"), tenant.headers)

    assert gone.status_code == 204, gone.text
    for image in made:
        with pytest.raises(KeyError):
            file_store_for(images_stack.settings).open(image["s3_key"])
        file_url = f"{images_stack.base_url}/api/v1/blog-images/{image['id']}/file"
        assert httpx.get(file_url, timeout=30).status_code == 404


def test_another_organizations_post_and_image_are_not_found(
    images_stack: Stack, tenant: Tenant, images: str,
) -> None:
    image = call(images_stack, "POST", images + "/upload", tenant.headers,
                 files={"file": ("a.jpg", photo_jpeg(), "image/jpeg")}).json()
    other = new_tenant(images_stack, "Images Other")
    for method, path, kwargs in (
            ("GET", images, {}),
            ("POST", images + "/upload", {"files": {"file": ("a.jpg", photo_jpeg(), "image/jpeg")}}),
            ("POST", images + "/ai-generate", {"json": {"prompt": "x"}}),
            ("POST", images + "/from-stock", {"json": {"photo_url": "http://127.0.0.1:9/x.jpg"}}),
            ("DELETE", f"{images}/{image['id']}", {})):
        response = call(images_stack, method, path, other.headers, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
    elsewhere = new_post(images_stack, tenant)
    wrong_post = call(images_stack, "DELETE", f"{elsewhere}/{image['id']}", tenant.headers)
    assert wrong_post.status_code == 404
    assert image in call(images_stack, "GET", images, tenant.headers).json()

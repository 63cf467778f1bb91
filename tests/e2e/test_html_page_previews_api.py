"""An HTML page's preview image over real HTTP (`POST /api/pages/:id/generate-preview-image`,
seed 002): without an OpenAI key, the offline card of the page's name in the page's own
colours; with the organization's key, OpenAI Images through the SDK against the fake, asked
about the page and the user's wishes; kept, recorded on the page and served by copydesk;
another organization's page not found."""

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from adapters.embedded import EmbeddedServers
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.openai_images_server import FakeOpenAIImages, running_fake_openai_images
from tests.support import Stack, own_stack

OPENAI_KEY = "sk-preview-org-key"
NAVY = (0x1E, 0x3A, 0x8A)
HTML = ("<html><head><style>body { background: #1E3A8A; color: #F59E0B }"
        " h1 { color: #1e3a8a }</style></head><body><h1>Winter sale</h1>"
        "<p>Warm coats and wool scarves for the cold.</p><script>var x = 1;</script></body></html>")


def call(stack: Stack, method: str, path: str, tenant: Tenant,
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}{path}", headers=tenant.headers, json=body,
                         timeout=60)


def new_page(stack: Stack, tenant: Tenant, name: str) -> dict[str, Any]:
    created = call(stack, "POST", "/api/pages", tenant, {"name": name, "html_content": HTML})
    assert created.status_code == 201, created.text
    page: dict[str, Any] = created.json()["page"]
    return page


def picture(url: str) -> Image.Image:
    served = httpx.get(url, timeout=30)
    assert served.status_code == 200, served.text
    assert served.headers["content-type"] == "image/png"
    assert "immutable" in served.headers["cache-control"]
    image = Image.open(io.BytesIO(served.content))
    image.load()
    return image


def test_without_a_key_the_preview_is_a_card_in_the_pages_own_colours(stack: Stack) -> None:
    tenant = new_tenant(stack, "Preview Offline")
    page = new_page(stack, tenant, f"Winter sale {tenant.org_id.hex[:6]}")

    made = call(stack, "POST", f"/api/pages/{page['id']}/generate-preview-image", tenant, {})

    assert made.status_code == 200, made.text
    body = made.json()
    assert body["success"] is True and body["message"] == "Preview image generated successfully"
    image = picture(body["imageUrl"]).convert("RGB")
    assert image.size == (1792, 1024)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
    assert NAVY in colours, "the card's background is the page's own navy"
    assert len(colours) > 20, "the card carries the page's name"
    shown = call(stack, "GET", f"/api/pages/{page['id']}", tenant).json()["page"]
    assert shown["preview_image_url"] == body["imageUrl"]


def test_a_page_without_a_body_and_another_organizations_page(stack: Stack) -> None:
    tenant = new_tenant(stack, "Preview Owner")
    page = new_page(stack, tenant, f"Owned {tenant.org_id.hex[:6]}")
    first = httpx.post(f"{stack.base_url}/api/pages/{page['id']}/generate-preview-image",
                       headers=tenant.headers, timeout=60)
    assert first.status_code == 200, first.text
    stranger = new_tenant(stack, "Preview Stranger")
    assert call(stack, "POST", f"/api/pages/{page['id']}/generate-preview-image", stranger,
                {}).status_code == 404
    too_long = call(stack, "POST", f"/api/pages/{page['id']}/generate-preview-image", tenant,
                    {"customInstructions": "x" * 1001})
    assert too_long.status_code == 400 and "customInstructions" in too_long.text
    for name in ("page-1-0123456789abcdef.gif", "..%2F..%2Fsecret_key", "page-1.png"):
        assert httpx.get(f"{stack.base_url}/api/pages/preview-images/{name}",
                         timeout=30).status_code == 404, name


@pytest.fixture(scope="module")
def openai_images() -> Iterator[FakeOpenAIImages]:
    with running_fake_openai_images() as fake:
        fake.keys.add(OPENAI_KEY)
        yield fake


@pytest.fixture(scope="module")
def images_stack(servers: EmbeddedServers, openai_images: FakeOpenAIImages,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("previews"), worker=False,
                   openai_base_url=openai_images.base_url) as stack:
        yield stack


def test_with_the_organizations_key_openai_draws_the_page_and_the_users_wishes(
    images_stack: Stack, openai_images: FakeOpenAIImages,
) -> None:
    tenant = new_tenant(images_stack, "Preview Keyed")
    saved = call(images_stack, "PATCH", "/api/v1/organization/api-keys", tenant,
                 {"openai_api_key": OPENAI_KEY})
    assert saved.status_code < 300, saved.text
    page = new_page(images_stack, tenant, "Winter sale keyed")

    made = call(images_stack, "POST", f"/api/pages/{page['id']}/generate-preview-image", tenant,
                {"customInstructions": "use blue tones"})

    assert made.status_code == 200, made.text
    [sent] = openai_images.requests
    assert sent["_key"] == OPENAI_KEY and sent["size"] == "1792x1024"
    assert "Winter sale keyed" in sent["prompt"] and "wool scarves" in sent["prompt"]
    assert "use blue tones" in sent["prompt"] and "var x" not in sent["prompt"]
    assert picture(made.json()["imageUrl"]).size == (1792 // 8, 1024 // 8)

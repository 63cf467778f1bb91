"""Page exports over real HTTP (`/api/ai-pages/pages/<id>/export/`, `/api/ai-pages/exports/<id>/`):
each format rendered with the design system by a job, a signed download link that copydesk
serves (tampered → 403), the tracking snippet counting a view, escaping of what users wrote,
the html file opened in headless Chromium as a real page, and another organization's pages
and exports not found."""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from adapters.embedded import EmbeddedServers
from tests.e2e.browser import screenshot
from tests.e2e.catalog_steps import manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_landing_pages_api import CATALOG, ai, org_slug, wait_for_job
from tests.fakes.s3_server import FakeS3, running_fake_s3
from tests.support import Stack, own_stack, wait_until

HOSTILE_CSS = ".hero { letter-spacing: 1px } </style><script>alert('css')</script>"


@pytest.fixture(scope="module")
def shop(stack: Stack) -> Tenant:
    return new_tenant(stack, "Export Shop")


@pytest.fixture(scope="module")
def page(stack: Stack, shop: Tenant) -> dict[str, Any]:
    """A published page written from the catalogue's hoodies, with a hostile title and a
    design system of our own."""
    project = new_project(stack, shop, "Apparel")
    manual_source(stack, shop, project["id"], CATALOG)
    query = ai(stack, "POST", "/queries/", shop.headers, {"text": "hoodie"}).json()
    created = ai(stack, "POST", "/pages/", shop.headers, {
        "slug": "hoodies", "query": query["id"], "published": True,
        "title": "Hoodies <script>alert('title')</script>"}).json()
    queued = ai(stack, "POST", f"/pages/{created['id']}/regenerate/", shop.headers).json()
    assert wait_for_job(stack, shop, queued["job_id"])["status"] == "completed"
    design = ai(stack, "PATCH", "/design-system/", shop.headers,
                {"primary_color": "#AA3300", "heading_font": "Playfair Display",
                 "custom_css": HOSTILE_CSS})
    assert design.status_code == 200, design.text
    written: dict[str, Any] = ai(stack, "GET", f"/pages/{created['id']}/", shop.headers).json()
    return written


def export(stack: Stack, tenant: Tenant, page_id: int, file_format: str) -> dict[str, Any]:
    queued = ai(stack, "POST", f"/pages/{page_id}/export/", tenant.headers,
                {"format": file_format})
    assert queued.status_code == 202, queued.text
    body = queued.json()
    assert (body["status"], body["format"], body["page"]) == ("queued", file_format, page_id)
    ended: dict[str, Any] = {}

    def finished() -> bool:
        ended.update(ai(stack, "GET", f"/exports/{body['id']}/", tenant.headers).json())
        return ended["status"] in ("ready", "error")
    wait_until(finished, 60, f"the {file_format} export to finish")
    assert ended["status"] == "ready", ended
    return ended


def download(url: str) -> httpx.Response:
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200, response.text
    return response


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_an_html_export_is_a_whole_page_with_the_design_system_escaped_and_tracked(
    stack: Stack, shop: Tenant, page: dict[str, Any],
) -> None:
    ready = export(stack, shop, page["id"], "html")
    assert ready["download_url"].startswith("http") and ready["expires_at"]
    response = download(ready["download_url"])
    assert response.headers["content-type"].startswith("text/html")
    assert 'filename="hoodies.html"' in response.headers["content-disposition"]
    html = response.text
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags[:2] == ["html", "head"] and "main" in parsed.tags
    assert parsed.tags.count("script") == 1, "only the tracking snippet is a script"
    assert "alert" not in parsed.scripts[0]
    assert "&lt;script&gt;alert(&#39;title&#39;)" in html
    assert "</style><script>" not in html and "\\3c /style>" in html
    assert "--color-primary: #AA3300" in html and '"Playfair Display", sans-serif' in html
    assert "Hooded sweatshirt" in html and "Zip hoodie" in html and "59.90" in html
    [tracking] = re.findall(r'var url = "([^"]+)"', html)
    assert tracking.endswith(f"/public/pages/{org_slug(stack, shop)}/hoodies/")
    before = ai(stack, "GET", f"/pages/{page['id']}/", shop.headers).json()["view_count"]
    assert httpx.get(tracking, timeout=30).status_code == 200
    wait_until(lambda: ai(stack, "GET", f"/pages/{page['id']}/", shop.headers).json()[
        "view_count"] == before + 1, 10, "opening the exported page to count a view")


def test_an_html_export_renders_in_a_browser_as_a_real_page(
    stack: Stack, shop: Tenant, page: dict[str, Any], tmp_path: Path,
) -> None:
    html = tmp_path / "page.html"
    html.write_bytes(download(export(stack, shop, page["id"], "html")["download_url"]).content)
    png = tmp_path / "page.png"

    screenshot(html, png)

    with Image.open(png) as shot:
        image = shot.convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the screenshot is blank or nearly so"
    background_share = max(count for count, _ in colours) / (image.width * image.height)
    assert background_share < 0.95, "almost every pixel is the background"
    assert any(_near(colour, (0xAA, 0x33, 0x00)) for _, colour in colours), \
        "the design system's primary colour is not drawn"


def _near(colour: object, wanted: tuple[int, int, int]) -> bool:
    return isinstance(colour, tuple) and all(
        abs(a - b) <= 6 for a, b in zip(colour, wanted, strict=True))


def test_tsx_json_and_zip_exports_carry_the_same_page(
    stack: Stack, shop: Tenant, page: dict[str, Any],
) -> None:
    tsx = download(export(stack, shop, page["id"], "tsx")["download_url"]).text
    assert "export default function LandingPage()" in tsx and "const trackingUrl" in tsx
    literal = tsx.split("const page = ", 1)[1].split(" as const;", 1)[0]
    carried = json.loads(literal)
    assert [b["type"] for b in carried["blocks"]] == [b["type"] for b in page["blocks"]]
    assert "</script>" not in tsx, "no closing script tag, even from the title"

    document = download(export(stack, shop, page["id"], "json")["download_url"]).json()
    assert document["blocks"] == page["blocks"] and document["slug"] == "hoodies"
    assert document["design_system"]["primary_color"] == "#AA3300"
    assert set(document["products"]) == set(page["product_skus"])

    archive = download(export(stack, shop, page["id"], "zip")["download_url"])
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        assert sorted(files.namelist()) == ["Page.tsx", "index.html", "page.json"]
        assert json.loads(files.read("page.json"))["blocks"] == page["blocks"]


def test_a_tampered_or_rewritten_link_is_refused(
    stack: Stack, shop: Tenant, page: dict[str, Any],
) -> None:
    url = export(stack, shop, page["id"], "json")["download_url"]
    signature = re.search(r"signature=([0-9a-f]+)", url)
    assert signature is not None
    flipped = "0" if signature.group(1)[0] != "0" else "1"
    tampered = url.replace(f"signature={signature.group(1)}",
                           f"signature={flipped}{signature.group(1)[1:]}")
    assert httpx.get(tampered, timeout=30).status_code == 403
    expires = re.search(r"expires=(\d+)", url)
    assert expires is not None
    longer = url.replace(f"expires={expires.group(1)}", f"expires={int(expires.group(1)) + 86400}")
    assert httpx.get(longer, timeout=30).status_code == 403, "the expiry is signed"
    stranger = new_tenant(stack, "Export Stranger")
    other_org = re.sub(r"org=[0-9a-f-]+", f"org={stranger.org_id}", url)
    assert httpx.get(other_org, timeout=30).status_code == 403


def test_bad_formats_and_other_organizations_ids(
    stack: Stack, shop: Tenant, page: dict[str, Any],
) -> None:
    bad = ai(stack, "POST", f"/pages/{page['id']}/export/", shop.headers, {"format": "pdf"})
    assert bad.status_code == 422 and "format" in bad.json()["detail"]
    assert ai(stack, "POST", f"/pages/{page['id']}/export/", shop.headers,
              {}).status_code == 400
    ready = export(stack, shop, page["id"], "html")
    stranger = new_tenant(stack, "Export Stranger Two")
    assert ai(stack, "GET", f"/exports/{ready['id']}/", stranger.headers).status_code == 404
    assert ai(stack, "POST", f"/pages/{page['id']}/export/", stranger.headers,
              {"format": "html"}).status_code == 404
    queued = ai(stack, "POST", f"/pages/{page['id']}/regenerate/", shop.headers).json()
    assert ai(stack, "GET", f"/exports/{queued['job_id']}/", shop.headers).status_code == 404, (
        "a job of another kind is not an export")


@pytest.fixture(scope="module")
def s3() -> Iterator[FakeS3]:
    with running_fake_s3() as fake:
        yield fake


@pytest.fixture(scope="module")
def s3_stack(servers: EmbeddedServers, s3: FakeS3,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("s3-exports"),
                   s3_endpoint=s3.url, s3_bucket=s3.bucket, s3_access_key=s3.access_key,
                   s3_secret_key=s3.secret_key, s3_region="eu-west-1") as stack:
        yield stack


def test_with_the_s3_file_store_the_link_is_a_presigned_url_of_the_bucket(
    s3_stack: Stack, s3: FakeS3,
) -> None:
    shop = new_tenant(s3_stack, "Export S3 Shop")
    page = ai(s3_stack, "POST", "/pages/", shop.headers,
              {"slug": "bucket", "title": "From the bucket", "published": True}).json()

    ready = export(s3_stack, shop, page["id"], "html")

    url = ready["download_url"]
    assert url.startswith(f"{s3.url}/{s3.bucket}/") and "X-Amz-Signature=" in url
    assert "X-Amz-Expires=86400" in url
    served = httpx.get(url, timeout=30)
    assert served.status_code == 200 and "From the bucket" in served.text
    assert served.headers["content-disposition"] == 'attachment; filename="bucket.html"'
    assert served.headers["content-type"].startswith("text/html")
    assert httpx.get(url.replace("X-Amz-Expires=86400", "X-Amz-Expires=999999"),
                     timeout=30).status_code == 403

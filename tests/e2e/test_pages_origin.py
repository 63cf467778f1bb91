"""HTML pages on an origin of their own (`COPYDESK_PAGES_ORIGIN`): the page's `url` points
there, the page is served only on that host, and asked for on the API's host it redirects
(308) — so the API's host-only auth cookie is never sent with a page."""

from collections.abc import Iterator

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from adapters.settings import check_origin
from tests.e2e.helpers import new_tenant
from tests.support import Stack, own_stack

PAGES = "http://pages.shop.test:8080"


@pytest.fixture(scope="module")
def pages_stack(servers: EmbeddedServers, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("pages-origin"), worker=False,
                   pages_origin=PAGES) as stack:
        yield stack


def test_a_page_is_served_on_the_pages_origin_only(pages_stack: Stack) -> None:
    tenant = new_tenant(pages_stack, "Origin Shop")
    created = httpx.post(f"{pages_stack.base_url}/api/pages", headers=tenant.headers, timeout=30,
                         json={"name": "Own origin", "html_content": "<p>{{PAGE_ID}}</p>"})
    assert created.status_code == 201, created.text
    page = created.json()["page"]
    assert page["url"] == f"{PAGES}/p/{page['slug']}"

    on_api_host = httpx.get(f"{pages_stack.base_url}/p/{page['slug']}", timeout=30,
                            cookies={"access_token": "a-signed-in-visitor"})
    assert on_api_host.status_code == 308
    assert on_api_host.headers["location"] == page["url"]
    assert "<p>" not in on_api_host.text

    on_pages_host = httpx.get(f"{pages_stack.base_url}/p/{page['slug']}", timeout=30,
                              headers={"Host": "pages.shop.test:8080"})
    assert on_pages_host.status_code == 200
    assert on_pages_host.text == f"<p>{page['id']}</p>"
    assert on_pages_host.headers["content-security-policy"].startswith("sandbox allow-scripts")


@pytest.mark.parametrize("value, expected", [
    ("https://pages.example.com/", "https://pages.example.com"),
    ("http://127.0.0.1:9000", "http://127.0.0.1:9000"), ("", "")])
def test_the_pages_origin_setting_is_an_origin(value: str, expected: str) -> None:
    assert check_origin(value) == expected


@pytest.mark.parametrize("value", ["pages.example.com", "ftp://pages.example.com",
                                   "https://pages.example.com/p", "https://x.test/?a=1"])
def test_a_pages_origin_with_a_path_or_another_scheme_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        check_origin(value)

"""The embedding provider end to end: an organization with an OpenAI key of its own has its
products, pages and search queries embedded with that key (another organization with the
platform's key), and the key is never logged; a provider that hangs leaves pages in ERROR
with a reason naming the timeout (INDEXED once it answers again) and searches answer 503 with
`Retry-After` meanwhile."""

import time
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.embeddings_server import FakeEmbeddings
from tests.support import EMBEDDINGS_KEY, Stack, embedding_stack, scalar, wait_until

OWN_KEY = "sk-proj-" + "K" * 40 + "e7Vb"


@pytest.fixture(scope="module")
def provider_stack(servers: EmbeddedServers, embeddings_server: FakeEmbeddings,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with embedding_stack(servers.database_url, tmp_path_factory.mktemp("provider-stack"),
                         embeddings_server.openai_base_url,
                         embeddings_timeout_seconds=1.0) as stack:
        yield stack


def all_logs(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace")
                     for p in stack.processes.log_dir.glob("*.log"))


def index_key(stack: Stack, tenant: Tenant) -> dict[str, str]:
    created = httpx.post(f"{stack.base_url}/api/v1/api-keys", json={"name": "pages"},
                         headers=tenant.headers, timeout=30)
    assert created.status_code == 200, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


def index_and_search(stack: Stack, tenant: Tenant, marker: str) -> None:
    """A product and a page naming `marker`, both embedded, then a search for it."""
    project = new_project(stack, tenant, f"Shop {marker[:6]}")
    manual_source(stack, tenant, project["id"], [
        {"sku": "M-1", "name": "Merino scarf", "description": f"A soft scarf, batch {marker}."}])
    page = httpx.post(f"{stack.base_url}/v1/pages/upsert", headers=index_key(stack, tenant),
                      json={"url": f"https://shop.test/{marker}", "title": "Scarf care",
                            "content": f"How to wash a merino scarf, guide {marker}."},
                      timeout=30)
    assert page.status_code == 202, page.text

    def embedded() -> bool:
        products = scalar(stack.settings, "SELECT count(*) FROM rm_search.products WHERE"
                          " org_id = %s AND NOT pending AND embedding IS NOT NULL", tenant.org_id)
        pages = scalar(stack.settings, "SELECT count(*) FROM rm_search.pages WHERE"
                       " org_id = %s AND status = 'INDEXED'", tenant.org_id)
        return bool(products == 1 and pages == 1)
    wait_until(embedded, 60, "the product and the page to be embedded")
    found = httpx.get(f"{stack.base_url}/api/ai-pages/query", headers=tenant.headers,
                      params={"q": f"scarf {marker}"}, timeout=30)
    assert found.status_code == 200, found.text
    assert [hit["sku"] for hit in found.json()["results"]] == ["M-1"]


def test_an_organizations_own_openai_key_embeds_its_texts_and_queries(
    provider_stack: Stack, embeddings_server: FakeEmbeddings,
) -> None:
    own, other = new_tenant(provider_stack, "Own Key Shop"), new_tenant(provider_stack, "Shop")
    response = call(provider_stack, "PATCH", "/organization/api-keys", own.headers,
                    {"openai_api_key": OWN_KEY})
    assert response.status_code == 200, response.text
    own_marker, other_marker = uuid4().hex, uuid4().hex

    index_and_search(provider_stack, own, own_marker)
    index_and_search(provider_stack, other, other_marker)

    requests = embeddings_server.requests
    own_keys = [r.api_key for r in requests if own_marker in r.user]
    other_keys = [r.api_key for r in requests if other_marker in r.user]
    assert len(own_keys) >= 3 and set(own_keys) == {OWN_KEY}, own_keys  # product, page, query
    assert len(other_keys) >= 3 and set(other_keys) == {EMBEDDINGS_KEY}, other_keys
    assert not [r for r in requests if own_marker in r.user and other_marker in r.user]
    logs = all_logs(provider_stack)
    assert "products_embedded" in logs and OWN_KEY not in logs and OWN_KEY[8:40] not in logs


def test_a_hung_provider_leaves_error_naming_the_timeout_then_indexed(
    provider_stack: Stack, embeddings_server: FakeEmbeddings,
) -> None:
    tenant = new_tenant(provider_stack, "Hung Shop")
    marker = uuid4().hex
    embeddings_server.hanging = True
    try:
        started = time.monotonic()
        searched = httpx.get(f"{provider_stack.base_url}/api/ai-pages/query",
                             headers=tenant.headers, params={"q": f"scarf {marker}"}, timeout=30)
        assert searched.status_code == 503, searched.text
        assert int(searched.headers["retry-after"]) >= 1
        assert searched.json()["status"] == 503 and time.monotonic() - started < 15
        page = httpx.post(f"{provider_stack.base_url}/v1/pages/upsert",
                          headers=index_key(provider_stack, tenant),
                          json={"url": f"https://shop.test/{marker}", "title": "Scarf care",
                                "content": f"How to dry a merino scarf, guide {marker}."},
                          timeout=30).json()

        def status() -> dict[str, object]:
            found = httpx.get(f"{provider_stack.base_url}/v1/pages/{page['page_id']}",
                              headers=index_key(provider_stack, tenant), timeout=30)
            assert found.status_code == 200, found.text
            body: dict[str, object] = found.json()
            return body
        wait_until(lambda: status()["status"] == "ERROR", 60, "ERROR")
        failed = status()
        assert "did not answer within 1s" in str(failed["error"]), failed
    finally:
        embeddings_server.hanging = False
    wait_until(lambda: status()["status"] == "INDEXED", 90, "INDEXED")
    assert status()["error"] is None
    again = httpx.get(f"{provider_stack.base_url}/api/ai-pages/query", headers=tenant.headers,
                      params={"q": f"scarf {marker}"}, timeout=30)
    assert again.status_code == 200, again.text

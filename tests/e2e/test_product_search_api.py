"""`GET /api/ai-pages/query` end to end: a catalog imported through the API is indexed by
the worker (embeddings from a fake OpenAI server computing real multilingual-e5 vectors), a
German query finds the English hoodie first, another organization finds nothing, bad input is
400, the provider failing is 503 and more than 100 searches a minute are 429."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.embeddings_server import FakeEmbeddings
from tests.fakes.llm_server import Failure
from tests.support import EMBEDDINGS_KEY, Stack, embedding_stack, scalar, wait_until

KEY = EMBEDDINGS_KEY
CATALOG: list[dict[str, Any]] = [
    {"sku": "HOOD-1", "name": "Hooded sweatshirt", "price": "59.90",
     "description": "<p>Unisex pullover hoodie in soft cotton fleece, kangaroo pocket and a"
                    " drawstring hood.</p>",
     "categories": ["Men/Sweatshirts"], "images": ["https://shop.test/hood.jpg"]},
    {"sku": "MUG-1", "name": "Stoneware coffee mug", "price": "12.00",
     "description": "A glazed 350 ml mug for coffee and tea."},
    {"sku": "BELT-1", "name": "Leather belt", "price": "35.00",
     "description": "Full-grain leather belt with a brass buckle."},
    {"sku": "RUN-1", "name": "Trail running shoes", "price": "120.00",
     "description": "Light shoes with a grippy sole for muddy trails."},
    {"sku": "BOARD-1", "name": "Oak cutting board", "price": "45.00",
     "description": "A thick board of oiled oak for the kitchen."},
]


@pytest.fixture(scope="module")
def search_stack(servers: EmbeddedServers, embeddings_server: FakeEmbeddings,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose embeddings come from the fake OpenAI server."""
    with embedding_stack(servers.database_url, tmp_path_factory.mktemp("search-stack"),
                         embeddings_server.openai_base_url) as stack:
        yield stack


@pytest.fixture(scope="module")
def shop(search_stack: Stack) -> Tenant:
    """An organization whose catalog has been imported and embedded."""
    tenant = new_tenant(search_stack, "Search Shop")
    project = new_project(search_stack, tenant, "Apparel")
    manual_source(search_stack, tenant, project["id"], CATALOG)

    def indexed() -> bool:
        return bool(scalar(search_stack.settings,
                      "SELECT count(*) FILTER (WHERE embedding IS NOT NULL AND NOT pending)"
                      " FROM rm_search.products WHERE org_id = %s", tenant.org_id) == len(CATALOG))
    wait_until(indexed, 60, "the catalog to be embedded")
    return tenant


def query(stack: Stack, headers: dict[str, str], **params: Any) -> httpx.Response:
    return httpx.get(f"{stack.base_url}/api/ai-pages/query", params=params, headers=headers,
                     timeout=30)


def test_a_german_query_finds_the_english_hoodie_first(search_stack: Stack, shop: Tenant) -> None:
    response = query(search_stack, shop.headers, q="warmer Pullover mit Kapuze")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["results"]) == len(CATALOG)
    first = body["results"][0]
    assert (first["sku"], first["name"], first["price"]) == ("HOOD-1", "Hooded sweatshirt",
                                                             "59.90")
    assert first["image_url"] == "https://shop.test/hood.jpg" and first["url"] is None
    assert set(first) == {"product_id", "sku", "name", "score", "price", "image_url", "url",
                          "category", "project_id", "status"}
    scores = [hit["score"] for hit in body["results"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    limited = query(search_stack, shop.headers, q="coffee mug", limit=2).json()
    assert [hit["sku"] for hit in limited["results"]][:1] == ["MUG-1"]
    assert len(limited["results"]) == 2
    assert query(search_stack, shop.headers, q="belt").json()["results"][0]["sku"] == "BELT-1"


def test_another_organization_finds_nothing(search_stack: Stack, shop: Tenant) -> None:
    stranger = new_tenant(search_stack, "Other Shop")
    response = query(search_stack, stranger.headers, q="hoodie")
    assert response.status_code == 200, response.text
    assert response.json() == {"query": "hoodie", "count": 0, "results": []}


@pytest.mark.parametrize(("params", "named"), [
    ({}, "'q'"), ({"q": "   "}, "'q'"), ({"q": "x" * 1001}, "'q'"),
    ({"q": "hoodie", "limit": 0}, "limit"), ({"q": "hoodie", "limit": 101}, "limit"),
    ({"q": "hoodie", "limit": -1}, "limit"), ({"q": "hoodie", "limit": "ten"}, "limit"),
])
def test_bad_input_is_400_naming_the_parameter(search_stack: Stack, shop: Tenant,
                                               params: dict[str, Any], named: str) -> None:
    response = query(search_stack, shop.headers, **params)
    assert response.status_code == 400, response.text
    assert named in response.json()["detail"] and response.json()["status"] == 400


def test_strangers_are_401(search_stack: Stack, shop: Tenant) -> None:
    assert query(search_stack, {}, q="hoodie").status_code == 401


def segment(stack: Stack, tenant: Tenant, **rule: Any) -> int:
    response = httpx.post(f"{stack.base_url}/api/ai-pages/segments/", headers=tenant.headers,
                          json={"name": "Segment", **rule}, timeout=30)
    assert response.status_code == 201, response.text
    number: int = response.json()["id"]
    return number


def skus_found(stack: Stack, tenant: Tenant, segment_id: int, q: str = "hoodie") -> list[str]:
    response = query(stack, tenant.headers, q=q, segment_id=segment_id)
    assert response.status_code == 200, response.text
    return [hit["sku"] for hit in response.json()["results"]]


def test_a_segment_restricts_the_search_to_its_products(search_stack: Stack, shop: Tenant) -> None:
    projects = httpx.get(f"{search_stack.base_url}/api/v1/projects", headers=shop.headers,
                         timeout=30).json()
    project_id = next(p["id"] for p in projects if p["name"] == "Apparel")
    by_skus = segment(search_stack, shop, skus=["MUG-1", "BELT-1"])
    assert sorted(skus_found(search_stack, shop, by_skus)) == ["BELT-1", "MUG-1"]
    by_category = segment(search_stack, shop, categories=["sweatshirts"])
    assert skus_found(search_stack, shop, by_category, q="coffee mug") == ["HOOD-1"]
    by_project = segment(search_stack, shop, project_ids=[project_id])
    assert len(skus_found(search_stack, shop, by_project)) == len(CATALOG)
    both = segment(search_stack, shop, project_ids=[project_id], skus=["RUN-1", "NOPE"])
    assert skus_found(search_stack, shop, both) == ["RUN-1"]
    elsewhere = segment(search_stack, shop, project_ids=[str(uuid4())])
    assert skus_found(search_stack, shop, elsewhere) == []


def test_an_unknown_or_another_organizations_segment_is_404(
    search_stack: Stack, shop: Tenant,
) -> None:
    ours = segment(search_stack, shop, skus=["MUG-1"])
    stranger = new_tenant(search_stack, "Segment Stranger")
    for tenant, segment_id in [(stranger, ours), (shop, 99999), (shop, 0), (shop, -3)]:
        response = query(search_stack, tenant.headers, q="mug", segment_id=segment_id)
        assert response.status_code == 404, response.text
        assert response.json() == {"detail": "segment not found", "status": 404}
    malformed = query(search_stack, shop.headers, q="mug", segment_id="two")
    assert malformed.status_code == 400 and "segment_id" in malformed.json()["detail"]


def test_the_embedding_provider_failing_is_503_with_retry_after(
    search_stack: Stack, shop: Tenant, embeddings_server: FakeEmbeddings,
) -> None:
    embeddings_server.fail("500", Failure("429", retry_after="30"))
    response = query(search_stack, shop.headers, q="a query never embedded before")
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "30" and response.json()["status"] == 503
    assert query(search_stack, shop.headers, q="a query never embedded before").status_code == 200


def test_more_than_100_searches_a_minute_are_429(search_stack: Stack) -> None:
    tenant = new_tenant(search_stack, "Busy Shop")
    answered = 0
    with httpx.Client(base_url=search_stack.base_url, headers=tenant.headers, timeout=30) as client:
        for _ in range(205):  # a new minute may begin during the first hundred
            response = client.get("/api/ai-pages/query", params={"q": "hoodie"})
            if response.status_code == 429:
                break
            assert response.status_code == 200, response.text
            answered += 1
    assert response.status_code == 429 and 100 <= answered <= 200
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "100" in response.json()["detail"]

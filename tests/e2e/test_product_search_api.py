"""`GET /api/ai-pages/query` end to end: a catalog imported through the API is indexed by
the worker (embeddings from a fake OpenAI server computing real multilingual-e5 vectors), a
German query finds the English hoodie first, another organization finds nothing, bad input is
400, the provider failing is 503 and more than 100 searches a minute are 429."""

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.embeddings_server import FakeEmbeddings
from tests.fakes.llm_server import Failure
from tests.support import Processes, Stack, fresh_database, scalar, wait_until

KEY = "platform-openai-embeddings-key"
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
    home = tmp_path_factory.mktemp("search-stack")
    settings = dataclasses.replace(
        fresh_database(servers.database_url, home), embeddings_provider="openai",
        openai_base_url=embeddings_server.openai_base_url, openai_api_key=KEY,
        llm_timeout_seconds=5.0)
    procs = Processes(settings, home)
    procs.start("relay", "relay")
    procs.start("projector", "projector")
    procs.start("worker", "worker")
    base_url = procs.start_api()
    try:
        yield Stack(settings=settings, base_url=base_url, processes=procs)
    finally:
        procs.stop_all()


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


def test_segments_are_refused_until_they_exist_and_strangers_are_401(
    search_stack: Stack, shop: Tenant,
) -> None:
    response = query(search_stack, shop.headers, q="hoodie", segment_id=3)
    assert response.status_code == 422 and "segment_id" in response.json()["detail"]
    assert query(search_stack, {}, q="hoodie").status_code == 401


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

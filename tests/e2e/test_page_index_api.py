"""Seed 004's page index end to end, through HTTP with an organization's API key: upsert
(single and batch) → INDEXED by the worker, unchanged re-upserts write nothing, GET shows the
status, retrieve with filters finds the page, delete by url and by id, another organization
gets 403/404, bad input is a clean 4xx, and a failing embeddings provider leaves the pages in
ERROR with the reason, then INDEXED after the automatic retry."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.helpers import new_tenant
from tests.fakes.embeddings_server import FakeEmbeddings
from tests.fakes.llm_server import Failure
from tests.support import EMBEDDINGS_KEY, Stack, embedding_stack, wait_until

KEY = EMBEDDINGS_KEY
HOODIE = {"url": "https://shop.test/hoodie", "title": "Hooded sweatshirt",
          "content": "A warm cotton hoodie with a drawstring hood and a kangaroo pocket.",
          "metadata": {"price": 59.9, "category": "Sweatshirts", "in_stock": True}}
MUG = {"url": "https://shop.test/mug", "title": "Coffee mug",
       "content": "A glazed stoneware mug for coffee and tea.",
       "metadata": {"price": 12, "category": "Kitchen", "published": "2024-01-10"}}


@pytest.fixture(scope="module")
def page_stack(servers: EmbeddedServers, embeddings_server: FakeEmbeddings,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with embedding_stack(servers.database_url, tmp_path_factory.mktemp("page-stack"),
                         embeddings_server.openai_base_url) as stack:
        yield stack


def api_key_client(stack: Stack, name: str) -> httpx.Client:
    tenant = new_tenant(stack, name)
    created = httpx.post(f"{stack.base_url}/api/v1/api-keys", json={"name": "pages"},
                         headers=tenant.headers, timeout=30)
    assert created.status_code == 200, created.text
    return httpx.Client(base_url=stack.base_url, timeout=30,
                        headers={"Authorization": f"Bearer {created.json()['key']}"})


@pytest.fixture(scope="module")
def client(page_stack: Stack) -> Iterator[httpx.Client]:
    with api_key_client(page_stack, "Pages Shop") as c:
        yield c


def status_of(client: httpx.Client, page_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/pages/{page_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_indexed(client: httpx.Client, page_id: str) -> None:
    wait_until(lambda: status_of(client, page_id)["status"] == "INDEXED", 60, "INDEXED")


def test_upsert_index_retrieve_and_delete(client: httpx.Client,
                                          embeddings_server: FakeEmbeddings) -> None:
    response = client.post("/v1/pages/upsert", json=HOODIE)
    assert response.status_code == 202, response.text
    body = response.json()
    assert set(body) >= {"page_id", "status", "action", "message"}
    assert body["action"] == "created" and len(body["page_id"]) == 24
    assert body["status"] in {"PENDING_VECTORIZATION", "PROCESSING", "INDEXED"}
    hoodie = body["page_id"]
    wait_indexed(client, hoodie)

    requests = embeddings_server.request_count
    again = client.post("/v1/pages/upsert", json=HOODIE).json()
    assert (again["action"], again["status"], again["page_id"]) == ("unchanged", "INDEXED", hoodie)
    changed = client.post("/v1/pages/upsert", json={**HOODIE, "metadata": {"price": 49.9}})
    assert changed.json()["action"] == "updated_metadata"
    assert status_of(client, hoodie)["metadata"] == {"price": 49.9}
    assert embeddings_server.request_count == requests

    batch = client.post("/v1/pages/upsert", json=[MUG, {"url": "x"}, {**HOODIE, "content": "New"},
                                                   {"url": "y", "content": "z", "metadata": 3}])
    assert batch.status_code == 202, batch.text
    results = batch.json()
    assert [r["action"] for r in results] == ["created", None, "updated_content", None]
    assert [r["status"] for r in results][1::2] == ["REJECTED", "REJECTED"]
    assert "'content'" in results[1]["message"] and "'metadata'" in results[3]["message"]
    assert results[1]["error_status"] == 400
    mug = results[0]["page_id"]
    wait_indexed(client, mug)
    wait_indexed(client, hoodie)

    found = client.post("/v1/retrieve", json={"query": "coffee mug", "top_k": 5})
    assert found.status_code == 200, found.text
    hit = found.json()["results"][0]
    assert (hit["page_id"], hit["url"], hit["title"]) == (mug, MUG["url"], MUG["title"])
    assert set(hit) == {"page_id", "url", "title", "score", "snippet", "metadata"}
    assert 0 < hit["score"] <= 1 and "mug" in hit["snippet"] and hit["metadata"] == MUG["metadata"]
    filtered = client.post("/v1/retrieve", json={"query": "coffee mug",
                                                 "filters": {"price": {"gte": 20}}}).json()
    assert [h["page_id"] for h in filtered["results"]] == [hoodie]
    assert client.post("/v1/retrieve", json={"query": "mug", "filters": {
        "published": {"gte": "2024-01-01"}, "category": {"in": ["Kitchen"]},
        "sku": {"exists": False}}}).json()["count"] == 1

    deleted = client.request("DELETE", "/v1/pages/delete", json={"url": MUG["url"]})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"status": "success", "message": "Page deleted successfully",
                              "pageId": mug, "url": MUG["url"]}
    assert client.get(f"/v1/pages/{mug}").status_code == 404
    gone = client.request("DELETE", "/v1/pages/delete", json={"pageId": hoodie})
    assert gone.status_code == 200 and gone.json()["pageId"] == hoodie
    again_gone = client.request("DELETE", "/v1/pages/delete", json={"pageId": hoodie})
    assert again_gone.status_code == 404


def json_lines(client: httpx.Client, body: str, media: str = "application/x-ndjson",
               ) -> httpx.Response:
    return client.post("/v1/pages/upsert", content=body.encode(),
                       headers={"Content-Type": media})


def test_json_lines_give_one_result_line_per_line_in_order(client: httpx.Client) -> None:
    scarf = {"url": "https://shop.test/scarf", "title": "Wool scarf",
             "content": "A long merino wool scarf in deep green.", "metadata": {"price": 30}}
    body = "\n".join([json.dumps(scarf), "{not json", "", json.dumps({"url": "https://a.test"}),
                      "7", '{"url": "https://shop.test/nul", "content": "a\\u0000b"}',
                      json.dumps({**scarf, "url": "https://shop.test/scarf-2"})]) + "\n"
    response = json_lines(client, body)
    assert response.status_code == 202, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    results = [json.loads(line) for line in response.text.splitlines()]
    assert [r["status"] == "REJECTED" for r in results] == [False, True, True, True, True, False]
    assert [r["action"] for r in results][::5] == ["created", "created"]
    assert results[1]["message"].startswith("line 2: not valid JSON"), results[1]
    assert results[2]["message"].startswith("line 4:") and "'content'" in results[2]["message"]
    assert results[3]["message"].startswith("line 5:") and results[3]["error_status"] == 400
    assert results[4]["message"].startswith("line 6:") and "NUL" in results[4]["message"]
    wait_indexed(client, results[0]["page_id"])

    again = json_lines(client, json.dumps(scarf), media="application/jsonl")
    assert again.status_code == 202 and again.text.count("\n") == 1
    assert json.loads(again.text)["action"] == "unchanged"
    assert json_lines(client, "\n\n").status_code == 400
    too_many = json_lines(client, "\n".join(["{}"] * 1001))
    assert too_many.status_code == 400 and "1000" in too_many.json()["detail"]


def test_another_organization_gets_403_or_404(page_stack: Stack, client: httpx.Client) -> None:
    page_id = client.post("/v1/pages/upsert", json={**HOODIE, "url": "https://shop.test/own"}
                          ).json()["page_id"]
    with api_key_client(page_stack, "Other Pages Shop") as stranger:
        assert stranger.get(f"/v1/pages/{page_id}").status_code == 404
        refused = stranger.request("DELETE", "/v1/pages/delete", json={"pageId": page_id})
        assert refused.status_code == 403 and refused.json()["status"] == 403
        by_url = stranger.request("DELETE", "/v1/pages/delete",
                                  json={"url": "https://shop.test/own"})
        assert by_url.status_code == 404
        wait_indexed(client, page_id)
        assert stranger.post("/v1/retrieve", json={"query": "hoodie"}).json()["count"] == 0
    assert httpx.post(f"{page_stack.base_url}/v1/retrieve", json={"query": "x"},
                      timeout=30).status_code == 401


@pytest.mark.parametrize(("method", "path", "body", "status", "named"), [
    ("GET", "/v1/pages/not-an-id", None, 400, "pageId"),
    ("GET", "/v1/pages/" + "0" * 24, None, 404, "not found"),
    ("DELETE", "/v1/pages/delete", {}, 400, "'url' or 'pageId'"),
    ("DELETE", "/v1/pages/delete", {"pageId": "123"}, 400, "pageId"),
    ("DELETE", "/v1/pages/delete", {"pageId": "f" * 24}, 404, "not found"),
    ("POST", "/v1/pages/upsert", {"url": "https://a.test"}, 400, "content"),
    ("POST", "/v1/pages/upsert", {"content": "text"}, 400, "url"),
    ("POST", "/v1/pages/upsert", {**HOODIE, "metadata": "cheap"}, 400, "metadata"),
    ("POST", "/v1/pages/upsert", {**HOODIE, "metadata": [1]}, 400, "metadata"),
    ("POST", "/v1/pages/upsert", "a page", 400, ""),
    ("POST", "/v1/pages/upsert", {**HOODIE, "content": "x" * (20 << 20)}, 413, "MB"),
    ("POST", "/v1/retrieve", {}, 400, "'query'"),
    ("POST", "/v1/retrieve", {"query": "  "}, 400, "'query'"),
    ("POST", "/v1/retrieve", {"query": "a", "top_k": 0}, 400, "top_k"),
    ("POST", "/v1/retrieve", {"query": "a", "top_k": 101}, 400, "top_k"),
    ("POST", "/v1/retrieve", {"query": "a", "filters": ["x"]}, 400, "filters"),
    ("POST", "/v1/retrieve", {"query": "a", "filters": {"p": {"near": 1}}}, 400, "operator"),
])
def test_bad_input_is_a_clean_4xx(client: httpx.Client, method: str, path: str, body: Any,
                                  status: int, named: str) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert response.json()["status"] == status and named in response.json()["detail"]


def test_a_failing_provider_leaves_error_with_the_reason_then_indexed(
    client: httpx.Client, embeddings_server: FakeEmbeddings,
) -> None:
    embeddings_server.fail("401")
    page_id = client.post("/v1/pages/upsert", json={
        "url": "https://shop.test/belt", "title": "Leather belt",
        "content": "A full-grain leather belt with a brass buckle, never embedded before."},
    ).json()["page_id"]
    wait_until(lambda: status_of(client, page_id)["status"] in {"ERROR", "INDEXED"}, 60, "ERROR")
    failed = status_of(client, page_id)
    assert failed["status"] == "ERROR" and failed["attempts"] >= 1, failed
    assert "401" in failed["error"] or "key" in failed["error"].lower(), failed
    assert failed["retry_at"] is not None
    wait_indexed(client, page_id)
    assert status_of(client, page_id)["error"] is None


def test_a_provider_answering_500_leaves_error_with_the_reason_then_indexed(
    client: httpx.Client, embeddings_server: FakeEmbeddings,
) -> None:
    embeddings_server.fail("500", "500", "500", "500")
    page_id = client.post("/v1/pages/upsert", json={
        "url": "https://shop.test/gloves", "title": "Leather gloves",
        "content": "Lined leather gloves for cold mornings, never embedded before."},
    ).json()["page_id"]
    wait_until(lambda: status_of(client, page_id)["status"] in {"ERROR", "INDEXED"}, 60, "ERROR")
    failed = status_of(client, page_id)
    assert failed["status"] == "ERROR" and "500" in failed["error"], failed
    wait_indexed(client, page_id)
    assert status_of(client, page_id)["error"] is None


def test_retrieval_answers_503_with_retry_after_while_the_provider_is_down(
    client: httpx.Client, embeddings_server: FakeEmbeddings,
) -> None:
    embeddings_server.fail("500", Failure("429", retry_after="30"))
    body = {"query": "a retrieval query never embedded before"}
    response = client.post("/v1/retrieve", json=body)
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "30" and response.json()["status"] == 503
    assert client.post("/v1/retrieve", json=body).status_code == 200


def test_more_than_300_requests_a_minute_per_key_are_403(page_stack: Stack) -> None:
    with api_key_client(page_stack, "Busy Pages Shop") as busy:
        refused = None
        for _ in range(605):  # a new minute may begin during the first 300
            response = busy.get("/v1/pages/" + "0" * 24)
            if response.status_code == 403:
                refused = response
                break
            assert response.status_code == 404
    assert refused is not None and "rate limit" in refused.json()["detail"]

"""Blog posts (`/api/v1/projects/{id}/blog-posts`) over real HTTP: a post written from three
products through its `blog.generate` job by the offline writer and by a language model (the
fake LLM server), listed, filtered, edited (HTML sanitised, slug unique in the project, each
text kept as a version), regenerated, scored for SEO, counted, deleted; another organization's
ids not found and bad input answered 4xx naming the field."""

from typing import Any

import httpx
import pytest

from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.generation_steps import charges_per_reference
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, wait_until

PRODUCTS = [
    {"external_id": "TENT-1", "sku": "TENT-1", "name": "Ridge tent", "brand": "Fjellwerk",
     "price": "249.00", "description": "A two-person tent for windy ridges. Packs small.",
     "url": "https://shop.example/ridge-tent"},
    {"external_id": "BAG-1", "sku": "BAG-1", "name": "Down sleeping bag", "brand": "Fjellwerk",
     "price": "189.00", "description": "Goose down, rated for cold nights."},
    {"external_id": "MAT-1", "sku": "MAT-1", "name": "Foam sleeping mat", "price": "39.00",
     "description": "Closed-cell foam that never punctures.",
     "url": "https://shop.example/foam-mat"},
]


@pytest.fixture(scope="module")
def tenant(llm_stack: Stack) -> Tenant:
    return new_tenant(llm_stack, "Camping Shop")


@pytest.fixture(scope="module")
def project(llm_stack: Stack, tenant: Tenant) -> tuple[str, list[str]]:
    """A project with the three products; its id and the items' ids (in import order)."""
    project_id = new_project(llm_stack, tenant, "Camping")["id"]
    manual_source(llm_stack, tenant, project_id, PRODUCTS)
    items = call(llm_stack, "GET", f"/projects/{project_id}/items", tenant.headers).json()
    by_sku = {item["sku"]: item["id"] for item in items}
    return project_id, [by_sku[p["sku"]] for p in PRODUCTS]


def posts_path(project_id: str) -> str:
    return f"/projects/{project_id}/blog-posts"


def wait_written(stack: Stack, tenant: Tenant, project_id: str, post_id: str,
                 job_id: str | None = None) -> dict[str, Any]:
    """The post once its generation has ended (written or failed)."""
    found: dict[str, Any] = {}

    def done() -> bool:
        response = call(stack, "GET", f"{posts_path(project_id)}/{post_id}", tenant.headers)
        assert response.status_code == 200, response.text
        found.update(response.json())
        return found["status"] != "generating" and (job_id is None or found["job_id"] == job_id)

    wait_until(done, 60, "the blog post to be written")
    return found


def create(stack: Stack, tenant: Tenant, project_id: str, **body: Any) -> httpx.Response:
    return call(stack, "POST", posts_path(project_id), tenant.headers,
                {"post_type": "product_roundup", "topic": "camping gear for cold nights", **body})


def test_the_template_writer_writes_a_post_from_three_products_through_its_job(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    response = create(llm_stack, tenant, project_id, source_item_ids=item_ids,
                      wp_category_ids=[3, 7])
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["status"] == "generating" and created["job_id"]
    assert created["source_item_ids"] == item_ids and created["wp_category_ids"] == [3, 7]
    assert created["organization_id"] == str(tenant.org_id)
    post = wait_written(llm_stack, tenant, project_id, created["id"])
    assert post["status"] == "draft", post
    for product in PRODUCTS:
        assert product["name"] in post["content"]
    assert "<h2>" in post["content"] and "<script" not in post["content"]
    assert post["title"].lower().startswith("camping gear for cold nights")
    assert post["slug"] == "camping-gear-for-cold-nights-a-roundup-of-our-picks"
    assert post["excerpt"]
    assert post["seo_meta"]["focus_keyword"] == "camping gear for cold nights"
    assert len(post["seo_meta"]["title"]) <= 60 and len(post["seo_meta"]["description"]) <= 160
    assert post["product_links"] == {item_ids[0]: "https://shop.example/ridge-tent",
                                     item_ids[2]: "https://shop.example/foam-mat"}
    job = call(llm_stack, "GET", f"/jobs/{created['job_id']}", tenant.headers)
    assert job.status_code == 200, job.text
    assert job.json()["status"] == "completed"
    assert charges_per_reference(llm_stack.settings, created["job_id"]) == {
        f"{created['job_id']}:post": 1}
    listed = call(llm_stack, "GET", posts_path(project_id), tenant.headers).json()
    assert created["id"] in [p["id"] for p in listed]

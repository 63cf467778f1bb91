"""What the blog post tests share: the camping products, a stack whose text providers are
the session's fake LLM server (with platform keys), and creating a post and waiting for its
generation to end."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.conftest import PLATFORM_ANTHROPIC, PLATFORM_OPENAI
from tests.e2e.helpers import Tenant
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack, own_stack, wait_until

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


def blog_llm_stack(servers: EmbeddedServers, llm_server: FakeLLM,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose text providers are the session's fake LLM server."""
    with own_stack(servers.database_url, tmp_path_factory.mktemp("blog-posts-stack"),
                   anthropic_base_url=llm_server.anthropic_base_url,
                   openai_base_url=llm_server.openai_base_url,
                   anthropic_api_key=PLATFORM_ANTHROPIC, openai_api_key=PLATFORM_OPENAI,
                   deepseek_base_url=llm_server.openai_base_url,
                   deepseek_api_key="platform-deepseek-key",
                   google_base_url=llm_server.google_base_url,
                   google_api_key="platform-google-key", llm_concurrency=4,
                   llm_timeout_seconds=2.0) as stack:
        yield stack


def camping_project(stack: Stack, tenant: Tenant) -> tuple[str, list[str]]:
    """A project with the three products; its id and the items' ids (in import order)."""
    project_id = new_project(stack, tenant, "Camping")["id"]
    manual_source(stack, tenant, project_id, PRODUCTS)
    items = call(stack, "GET", f"/projects/{project_id}/items", tenant.headers).json()
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

"""Bad input to any catalog command route gets a clear 4xx in the error shape, never a 500,
and changes nothing."""

import httpx
import pytest

from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

MALFORMED = [b"{", b"[]", b"null", b"\xff\xfe"]


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Careless Catalog")


@pytest.fixture(scope="module")
def routes(stack: Stack, tenant: Tenant) -> list[tuple[str, str, bytes]]:
    """Each command route with a body of wrong types or impossible values."""
    project = new_project(stack, tenant)["id"]
    manual_source(stack, tenant, project)
    item = call(stack, "GET", f"/projects/{project}/items", tenant.headers).json()[0]["id"]
    base = f"/api/v1/projects/{project}"
    return [
        ("POST", "/api/v1/projects", b'{"name": [], "platform": {}}'),
        ("PATCH", base, b'{"name": 5, "settings": "x"}'),
        ("POST", base + "/sources/manual", b'{"name": 1, "items": 7}'),
        ("PATCH", base + "/items/batch", b'{"item_ids": "all", "status": 1}'),
        ("POST", base + "/items/exclude", b'{"item_ids": [1, 2]}'),
        ("POST", base + "/items/restore", b'{"item_ids": null}'),
        ("PATCH", f"{base}/items/{item}", b'{"generated_content": {"name": 1}}'),
        ("POST", "/api/v1/organization/tones", b'{"id": 1, "name": 2, "system_prompt": 3}'),
        ("PATCH", "/api/v1/organization/api-keys", b'{"openai_api_key": {"k": 1}}'),
    ]


def test_malformed_bodies_are_refused_with_a_4xx_that_says_why(
    stack: Stack, tenant: Tenant, routes: list[tuple[str, str, bytes]],
) -> None:
    before = call(stack, "GET", "/projects", tenant.headers).json()
    for method, path, wrong in routes:
        for body in [*MALFORMED, wrong]:
            response = httpx.request(method, stack.base_url + path, content=body, timeout=30,
                                     headers={**tenant.headers,
                                              "Content-Type": "application/json"})
            assert 400 <= response.status_code < 500, (path, body, response.text)
            assert response.json()["detail"], response.text
            assert response.json()["status"] == response.status_code
    assert call(stack, "GET", "/projects", tenant.headers).json() == before


def test_a_form_route_refuses_another_content_type(stack: Stack, tenant: Tenant) -> None:
    response = httpx.post(stack.base_url + "/api/v1/projects", content=b"name=x",
                          headers={**tenant.headers, "Content-Type": "text/plain"}, timeout=30)
    assert response.status_code == 400 and "form" in response.json()["detail"]

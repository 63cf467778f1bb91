"""Public pages answered from memory before the middleware stack: the second visit of a
published page is served by the fast path (it writes no access log line) with the same
status, headers and body as the routes gave the first, and is counted; an unpublished page
is not served from memory."""

import httpx

from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_secrets_stay_out_of_logs import all_logs
from tests.support import Stack, wait_until

HTML = "<html><body><p id='id'>{{PAGE_ID}}</p><p>Fast and the same.</p></body></html>"
SAME = ("content-type", "content-security-policy", "x-content-type-options", "referrer-policy")


def visit(stack: Stack, path: str, request_id: str) -> httpx.Response:
    answer = httpx.get(f"{stack.base_url}{path}", headers={"X-Request-ID": request_id},
                       timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-request-id"] == request_id
    return answer


def logged(stack: Stack, request_id: str) -> bool:
    return f'"request_id": "{request_id}"' in all_logs(stack)


def test_an_html_pages_second_visit_is_answered_from_memory_as_the_first(stack: Stack) -> None:
    tenant = new_tenant(stack, "Fast Path Html")
    page = httpx.post(f"{stack.base_url}/api/pages", headers=tenant.headers, timeout=30, json={
        "name": f"Fast {tenant.org_id.hex[:8]}", "html_content": HTML}).json()["page"]
    path = f"/p/{page['slug']}"
    first = visit(stack, path, f"slow-{page['id']}")
    second = visit(stack, path, f"fast-{page['id']}")

    assert second.content == first.content and f">{page['id']}<" in second.text
    assert [second.headers.get(h) for h in SAME] == [first.headers.get(h) for h in SAME]
    wait_until(lambda: logged(stack, f"slow-{page['id']}"), 10, "the first visit's log line")
    assert not logged(stack, f"fast-{page['id']}"), "the second visit went through the stack"
    wait_until(lambda: httpx.get(f"{stack.base_url}/api/pages/{page['id']}",
                                 headers=tenant.headers, timeout=30).json()["page"]["views"] == 2,
               10, "both visits to be counted")


def _landing(stack: Stack, tenant: Tenant) -> str:
    created = httpx.post(f"{stack.base_url}/api/ai-pages/pages/", headers=tenant.headers,
                         timeout=30, json={"slug": "fast", "title": "Fast", "published": True})
    assert created.status_code == 201, created.text
    org = httpx.get(f"{stack.base_url}/api/v1/organization", headers=tenant.headers,
                    timeout=30).json()["slug"]
    return f"/api/ai-pages/public/pages/{org}/fast/"


def test_a_landing_pages_second_visit_is_answered_from_memory_and_counted(stack: Stack) -> None:
    tenant = new_tenant(stack, "Fast Path Landing")
    path = _landing(stack, tenant)
    first = visit(stack, path, f"slow-{tenant.org_id.hex}").json()
    answer = visit(stack, path, f"fast-{tenant.org_id.hex}")

    second = answer.json()
    assert answer.headers["content-type"] == "application/json"
    assert second["view_count"] == first["view_count"] + 1
    assert {**second, "view_count": 0} == {**first, "view_count": 0}
    wait_until(lambda: logged(stack, f"slow-{tenant.org_id.hex}"), 10, "the first visit's log")
    assert not logged(stack, f"fast-{tenant.org_id.hex}")


def test_an_unpublished_page_is_no_longer_answered_from_memory(stack: Stack) -> None:
    tenant = new_tenant(stack, "Fast Path Unpublished")
    path = _landing(stack, tenant)
    visit(stack, path, "warm-1")
    pages = httpx.get(f"{stack.base_url}/api/ai-pages/pages/", headers=tenant.headers,
                      timeout=30).json()
    changed = httpx.patch(f"{stack.base_url}/api/ai-pages/pages/{pages[0]['id']}/",
                          headers=tenant.headers, json={"published": False}, timeout=30)
    assert changed.status_code == 200, changed.text
    assert httpx.get(f"{stack.base_url}{path}", timeout=30).status_code == 404

"""Blog connections (`/api/v1/blog-connections`) and blog templates
(`/api/v1/blog-templates`) over real HTTP, against a local fake WordPress on loopback (a
stack of its own lets outbound URLs reach loopback): the password sealed and never shown,
logged or in an event, the test route answering who the password belongs to (or why not),
every page of categories collected and cached, another organization's ids not found and
bad input 4xx naming the field."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.wordpress_server import FakeUser, FakeWordPress, running_fake_wordpress
from tests.support import Stack, own_stack

PASSWORD = "Zq8k Lm3p Xv7r Tn2w Bc5d Hj9s"
CONNECTIONS = "/api/v1/blog-connections"
TEMPLATES = "/api/v1/blog-templates"


@pytest.fixture(scope="module")
def wordpress() -> Iterator[FakeWordPress]:
    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password=PASSWORD, can_publish=True, name="Eda Editor")
        wp.users["reader"] = FakeUser(password="abcd efgh ijkl mnop", can_publish=False)
        wp.categories = [{"id": n, "name": f"Topic {n}", "slug": f"topic-{n}", "count": n,
                          "parent": 0 if n < 5 else 1} for n in range(1, 251)]
        yield wp


@pytest.fixture(scope="module")
def blog_stack(servers: EmbeddedServers,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("blog-stack"), worker=False,
                   feeds_allow_loopback=True) as stack:
        yield stack


@pytest.fixture(scope="module")
def tenant(blog_stack: Stack) -> Tenant:
    return new_tenant(blog_stack, "Blog Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return httpx.request(method, f"{stack.base_url}{path}", headers=headers, timeout=30,
                         **kwargs)


def connect(stack: Stack, tenant: Tenant, wp: FakeWordPress, **fields: Any) -> dict[str, Any]:
    body = {"name": "Shop blog", "site_url": wp.url + "/", "username": "editor",
            "app_password": PASSWORD, **fields}
    response = call(stack, "POST", CONNECTIONS, tenant.headers, body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def test_a_connection_is_kept_without_showing_its_password(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress)
    assert created["site_url"] == wordpress.url and created["username"] == "editor"
    assert created["has_credentials"] is True and created["is_active"] is True
    assert created["has_categories"] is False and created["categories_cached_at"] is None
    assert "app_password" not in created and PASSWORD not in str(created)
    one = call(blog_stack, "GET", f"{CONNECTIONS}/{created['id']}", tenant.headers)
    assert one.status_code == 200 and one.json() == created
    listed = call(blog_stack, "GET", CONNECTIONS, tenant.headers).json()
    assert [c["id"] for c in listed] == [created["id"]]


def test_the_test_route_answers_who_the_password_belongs_to(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress)
    answer = call(blog_stack, "POST", f"{CONNECTIONS}/{created['id']}/test", tenant.headers)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["success"] is True and result["can_publish"] is True
    assert result["user_name"] == "Eda Editor" and result["site_name"] == "127.0.0.1"
    path, auth = wordpress.requests[-1]
    assert path == "/wp-json/wp/v2/users/me?context=edit" and auth.startswith("Basic ")

    reader = connect(blog_stack, tenant, wordpress, username="reader",
                     app_password="abcd efgh ijkl mnop")
    result = call(blog_stack, "POST", f"{CONNECTIONS}/{reader['id']}/test",
                  tenant.headers).json()
    assert result["success"] is True and result["can_publish"] is False
    assert "may not publish" in result["message"]


def test_a_wrong_password_is_said_so_and_a_new_one_fixes_it(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress, app_password="wrong pass word")
    test = f"{CONNECTIONS}/{created['id']}/test"
    result = call(blog_stack, "POST", test, tenant.headers).json()
    assert result["success"] is False and "incorrect_password" in result["message"]
    changed = call(blog_stack, "PATCH", f"{CONNECTIONS}/{created['id']}", tenant.headers,
                   {"app_password": PASSWORD, "name": "Renamed", "is_active": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["is_active"]) == ("Renamed", False)
    assert call(blog_stack, "POST", test, tenant.headers).json()["success"] is True


def test_categories_are_collected_over_every_page_and_cached(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress)
    path = f"{CONNECTIONS}/{created['id']}/categories"
    before = len(wordpress.requests)
    found = call(blog_stack, "GET", path, tenant.headers)
    assert found.status_code == 200, found.text
    categories = found.json()
    assert len(categories) == 250 and categories[0] == {
        "id": 1, "name": "Topic 1", "slug": "topic-1", "count": 1, "parent": 0}
    pages = [p for p, _ in wordpress.requests[before:]]
    assert pages == [f"/wp-json/wp/v2/categories?per_page=100&page={n}" for n in (1, 2, 3)]
    again = len(wordpress.requests)
    assert call(blog_stack, "GET", path, tenant.headers).json() == categories
    assert len(wordpress.requests) == again  # from the cache
    one = call(blog_stack, "GET", f"{CONNECTIONS}/{created['id']}", tenant.headers).json()
    assert one["has_categories"] is True and one["categories_cached_at"] is not None
    call(blog_stack, "GET", path + "?refresh=true", tenant.headers)
    assert len(wordpress.requests) == again + 3


def test_the_password_is_in_no_event_and_no_log(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress)
    call(blog_stack, "POST", f"{CONNECTIONS}/{created['id']}/test", tenant.headers)
    compact = "".join(PASSWORD.split())
    with psycopg.connect(blog_stack.settings.database_url) as conn:
        states = b"\n".join(bytes(r[0]) for r in conn.execute("SELECT state FROM events"))
        sealed = conn.execute("SELECT ciphertext FROM secrets WHERE owner_id = %s",
                              (created["id"],)).fetchone()
    assert sealed is not None and compact.encode() not in bytes(sealed[0])
    for secret in (PASSWORD, compact):
        assert secret.encode() not in states
        logs = b"".join(p.read_bytes() for p in Path(blog_stack.processes.log_dir).glob("*.log"))
        assert secret.encode() not in logs
    assert b"editor" in states  # the events are there, only without the password


def test_a_deleted_connection_and_another_organizations_are_not_found(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress)
    other = new_tenant(blog_stack, "Blog Other")
    one = f"{CONNECTIONS}/{created['id']}"
    for method, path, body in (("GET", one, None), ("PATCH", one, {"name": "x"}),
                               ("POST", one + "/test", None), ("GET", one + "/categories", None),
                               ("DELETE", one, None)):
        assert call(blog_stack, method, path, other.headers, body).status_code == 404, path
    assert call(blog_stack, "GET", CONNECTIONS, other.headers).json() == []
    assert call(blog_stack, "DELETE", one, tenant.headers).status_code == 204
    assert call(blog_stack, "GET", one, tenant.headers).status_code == 404
    assert call(blog_stack, "GET", f"{CONNECTIONS}/{uuid4()}", tenant.headers).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "", "site_url": "https://blog.test", "username": "u", "app_password": "p"},
     "name"),
    ({"name": "n", "site_url": "ftp://blog.test", "username": "u", "app_password": "p"},
     "site_url"),
    ({"name": "n", "site_url": "https://blog.test", "username": "", "app_password": "p"},
     "username"),
    ({"name": "n", "site_url": "https://blog.test", "username": "u", "app_password": " "},
     "app_password"),
    ({"name": "n", "site_url": "https://blog.test", "username": "u"}, "app_password"),
])
def test_bad_connection_input_is_refused_naming_the_field(
    blog_stack: Stack, tenant: Tenant, body: dict[str, Any], field: str,
) -> None:
    response = call(blog_stack, "POST", CONNECTIONS, tenant.headers, body)
    assert 400 <= response.status_code < 500 and response.status_code != 404, response.text
    assert field in response.json()["detail"]


def test_a_site_on_a_private_address_cannot_be_tested(
    blog_stack: Stack, tenant: Tenant, wordpress: FakeWordPress,
) -> None:
    created = connect(blog_stack, tenant, wordpress, site_url="http://10.0.0.1")
    result = call(blog_stack, "POST", f"{CONNECTIONS}/{created['id']}/test",
                  tenant.headers).json()
    assert result["success"] is False and "private" in result["message"]
    categories = call(blog_stack, "GET", f"{CONNECTIONS}/{created['id']}/categories",
                      tenant.headers)
    assert categories.status_code == 503 and "private" in categories.json()["detail"]


def test_blog_templates_are_created_changed_listed_and_deleted(
    blog_stack: Stack, tenant: Tenant,
) -> None:
    body = {"name": "How-to", "description": "Step by step", "tone": "friendly",
            "structure": {"sections": ["intro", "steps", "faq"]},
            "custom_instructions": "Short sentences.", "is_default": True}
    response = call(blog_stack, "POST", TEMPLATES, tenant.headers, body)
    assert response.status_code == 200, response.text
    first = response.json()
    assert {k: first[k] for k in body} == body
    assert first["organization_id"] == str(tenant.org_id)
    second = call(blog_stack, "POST", TEMPLATES, tenant.headers,
                  {"name": "News", "is_default": True}).json()
    assert (second["tone"], second["structure"], second["is_default"]) == ("", {}, True)
    listed = call(blog_stack, "GET", TEMPLATES, tenant.headers).json()
    assert [(t["name"], t["is_default"]) for t in listed if not t["is_built_in"]] == [
        ("How-to", False), ("News", True)]
    path = f"{TEMPLATES}/{first['id']}"
    changed = call(blog_stack, "PATCH", path, tenant.headers, {"tone": "formal"}).json()
    assert (changed["tone"], changed["name"], changed["structure"]) == (
        "formal", "How-to", body["structure"])
    assert call(blog_stack, "GET", path, tenant.headers).json() == changed
    other = new_tenant(blog_stack, "Templates Other")
    for method, payload in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
        assert call(blog_stack, method, path, other.headers, payload).status_code == 404
    assert call(blog_stack, "DELETE", path, tenant.headers).status_code == 204
    assert call(blog_stack, "GET", path, tenant.headers).status_code == 404
    bad = call(blog_stack, "POST", TEMPLATES, tenant.headers, {"name": " "})
    assert bad.status_code in (400, 422) and "name" in bad.json()["detail"]
    bad = call(blog_stack, "PATCH", f"{TEMPLATES}/{second['id']}", tenant.headers,
               {"structure": []})
    assert bad.status_code in (400, 422) and "structure" in bad.json()["detail"]


def test_every_post_type_has_a_built_in_template_that_is_read_only(
    blog_stack: Stack, tenant: Tenant,
) -> None:
    listed = call(blog_stack, "GET", TEMPLATES, tenant.headers).json()
    built_in = [t for t in listed if t["is_built_in"]]
    assert {t["structure"]["post_type"] for t in built_in} == {
        "product_roundup", "buying_guide", "how_to", "comparison", "announcement"}
    assert all(t["structure"]["sections"] and t["structure"]["length"] for t in built_in)
    how_to = next(t for t in built_in if t["structure"]["post_type"] == "how_to")
    other = new_tenant(blog_stack, "Templates Built In")
    path = f"{TEMPLATES}/{how_to['id']}"
    assert call(blog_stack, "GET", path, other.headers).json()["name"] == how_to["name"]
    for method, payload in (("PATCH", {"tone": "formal"}), ("DELETE", None)):
        refused = call(blog_stack, method, path, tenant.headers, payload)
        assert refused.status_code == 403 and "built-in" in refused.json()["detail"], method
    assert call(blog_stack, "GET", path, tenant.headers).json()["tone"] == how_to["tone"]

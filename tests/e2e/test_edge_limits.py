"""Input no read model could store, or no parser should take, is refused at the edge with a
4xx in the error shape, and nothing is appended to the event store."""

from typing import Any

import httpx
import pytest

from tests.e2e.catalog_steps import call, new_project
from tests.e2e.file_source_steps import upload
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, store_position

LOGIN = "/api/v1/auth/login"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Fuzzed")


@pytest.fixture(scope="module")
def project(stack: Stack, tenant: Tenant) -> dict[str, Any]:
    return new_project(stack, tenant, "Fuzz target")


def _refused(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status, body
    for word in words:
        assert word in body["detail"], body
    detail: str = body["detail"]
    return detail


def _send(stack: Stack, method: str, path: str, body: bytes,
          headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.request(method, stack.base_url + path, content=body, headers=headers or {},
                         timeout=30)


def test_json_nested_past_the_recursion_limit_is_a_400_even_unauthenticated(stack: Stack) -> None:
    response = _send(stack, "POST", LOGIN, b"[" * 100_000 + b"]" * 100_000, JSON)

    _refused(response, 400, "nested")


def test_json_nested_deeper_than_64_levels_is_a_400(stack: Stack) -> None:
    deep = b'{"email": ' + b'{"a": ' * 64 + b"1" + b"}" * 64 + b"}"

    _refused(_send(stack, "POST", LOGIN, deep, JSON), 400, "deeper than 64")


def test_a_body_that_is_not_utf8_is_a_400(stack: Stack) -> None:
    response = _send(stack, "POST", LOGIN, b'{"email": "\xff\xfe", "password": "x"}', JSON)

    _refused(response, 400, "UTF-8")


def test_a_body_past_one_megabyte_is_a_413_before_it_is_parsed(stack: Stack) -> None:
    big = b'{"email": "' + b"a" * (1 << 20) + b'", "password": "x"}'

    _refused(_send(stack, "POST", LOGIN, big, JSON), 413, "1 MB")


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {}],
                         ids=["text/plain", "no content type"])
def test_json_sent_as_another_media_type_is_a_415(stack: Stack,
                                                  headers: dict[str, str]) -> None:
    body = b'{"email": "someone@example.test", "password": "whatever"}'

    _refused(_send(stack, "POST", LOGIN, body, headers), 415, "application/json")


def test_json_with_a_charset_is_still_json(stack: Stack, tenant: Tenant) -> None:
    body = f'{{"email": "{tenant.email}", "password": "{tenant.password}"}}'.encode()

    response = _send(stack, "POST", LOGIN, body,
                     {"Content-Type": "application/json; charset=utf-8"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("body", "field"), [
    (b'{"settings": {"a": "x\\u0000y"}}', "'settings.a'"),
    (b'{"settings": {"a\\u0000": 1}}', "'settings.a\\u0000'"),
    (b'{"settings": {"list": [1, "\\u0000"]}}', "'settings.list[1]'"),
    (b'{"name": "Linen\\u0000"}', "'name'"),
    (b'{"settings": {"a": "x\\udc00y"}}', "surrogate"),  # msgspec refuses it as JSON
], ids=["settings value", "settings key", "in a list", "name", "lone surrogate"])
def test_text_postgresql_cannot_store_in_a_project_is_a_400_and_appends_nothing(
    stack: Stack, tenant: Tenant, project: dict[str, Any], body: bytes, field: str,
) -> None:
    before = store_position(stack.settings)

    response = _send(stack, "PATCH", f"/api/v1/projects/{project['id']}", body,
                     {**tenant.headers, **JSON})

    _refused(response, 400, field)
    assert store_position(stack.settings) == before


def test_the_nul_message_names_the_field_and_the_problem(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    response = _send(stack, "PATCH", f"/api/v1/projects/{project['id']}",
                     b'{"settings": {"a": "\\u0000"}}', {**tenant.headers, **JSON})

    assert response.json() == {"detail": "field 'settings.a': text may not contain NUL characters",
                               "status": 400}


def test_a_nul_in_the_organization_name_is_a_400_and_appends_nothing(
    stack: Stack, tenant: Tenant,
) -> None:
    before = store_position(stack.settings)

    response = _send(stack, "PATCH", "/api/v1/organization", b'{"name": "Shop\\u0000"}',
                     {**tenant.headers, **JSON})

    _refused(response, 400, "'name'", "NUL")
    assert store_position(stack.settings) == before


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_nul_in_a_form_field_is_a_400_and_appends_nothing(
    stack: Stack, tenant: Tenant, encoding: str,
) -> None:
    before = store_position(stack.settings)
    form = {"name": "Nul\x00shop", "platform": "woocommerce"}
    extra: dict[str, Any] = {"data": form}
    if encoding == "multipart":
        extra = {"files": {k: (None, v) for k, v in form.items()}}

    response = call(stack, "POST", "/projects", tenant.headers, **extra)

    _refused(response, 400, "'name'", "NUL")
    assert store_position(stack.settings) == before


def test_a_json_escaped_nul_inside_a_form_field_of_json_is_a_400(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    before = store_position(stack.settings)
    items = '[{"sku": "S-1", "name": "Shirt\\u0000"}]'

    response = call(stack, "POST", f"/projects/{project['id']}/sources/manual", tenant.headers,
                    data={"name": "Typed", "items": items})

    _refused(response, 400, "'items[0].name'", "NUL")
    assert store_position(stack.settings) == before


def test_a_nul_in_the_search_filter_is_a_400_naming_it(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/projects/{project['id']}/items",
                         params={"search": "lin\x00en"}, headers=tenant.headers, timeout=30)

    _refused(response, 400, "'search'", "NUL")


def test_a_query_value_that_is_not_utf8_is_a_400(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/projects/{project['id']}/items?search=%ff",
                         headers=tenant.headers, timeout=30)

    _refused(response, 400, "'search'", "UTF-8")


@pytest.mark.parametrize("path", ["/api/v1/billing/transactions", "/api/v1/audit",
                                  "/api/v1/projects/{project}/items"])
@pytest.mark.parametrize("query", [f"page={10**20}", f"page_size={10**20}", "page=1000001"])
def test_a_page_past_its_bound_is_a_400(
    stack: Stack, tenant: Tenant, project: dict[str, Any], path: str, query: str,
) -> None:
    url = stack.base_url + path.format(project=project["id"]) + "?" + query

    _refused(httpx.get(url, headers=tenant.headers, timeout=30), 400, query.split("=")[0])


def test_the_last_allowed_page_is_answered(stack: Stack, tenant: Tenant) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/audit?page=1000000&page_size=100",
                         headers=tenant.headers, timeout=30)

    assert response.status_code == 200, response.text
    assert response.json()["entries"] == []


@pytest.mark.parametrize("as_of", ["0.5", "1700000000", "yesterday"])
def test_a_balance_as_of_something_not_an_iso_date_is_a_400(
    stack: Stack, tenant: Tenant, as_of: str,
) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/billing/balance", params={"as_of": as_of},
                         headers=tenant.headers, timeout=30)

    _refused(response, 400, "as_of")


@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-01-01T12:00:00Z"])
def test_a_balance_as_of_an_iso_date_or_date_time_is_answered(
    stack: Stack, tenant: Tenant, as_of: str,
) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/billing/balance", params={"as_of": as_of},
                         headers=tenant.headers, timeout=30)

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("value", [b"0", b"1", b'"true"'])
def test_enforce_2fa_must_be_a_json_boolean(stack: Stack, tenant: Tenant, value: bytes) -> None:
    before = store_position(stack.settings)

    response = _send(stack, "PATCH", "/api/v1/organization", b'{"enforce_2fa": ' + value + b"}",
                     {**tenant.headers, **JSON})

    _refused(response, 400, "enforce_2fa")
    assert store_position(stack.settings) == before


def test_a_number_for_a_boolean_in_any_json_body_is_a_400(stack: Stack, tenant: Tenant) -> None:
    response = _send(stack, "PATCH", "/api/v1/billing/settings", b'{"overage_enabled": 1}',
                     {**tenant.headers, **JSON})

    _refused(response, 400, "overage_enabled")


def test_a_nul_in_a_csv_cell_is_a_400_naming_the_line(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    before = store_position(stack.settings)
    csv = b"ID,Type,SKU,Name,Description\n1,simple,S-1,Shirt,Soft\n2,simple,S-2,Sh\x00irt,Soft\n"

    response = upload(stack, tenant, project["id"], "products.csv", csv)

    _refused(response, 400, "line 3", "NUL")
    assert store_position(stack.settings) == before


def test_a_nul_in_the_column_mapping_is_a_400(
    stack: Stack, tenant: Tenant, project: dict[str, Any],
) -> None:
    csv = b"ID,Type,SKU,Name,Description\n1,simple,S-1,Shirt,Soft\n"

    response = upload(stack, tenant, project["id"], "products.csv", csv,
                      column_mapping={"Name\x00": "name"})

    _refused(response, 400, "column_mapping", "NUL")

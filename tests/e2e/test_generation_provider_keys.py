"""A provider named in a generation request is used or refused, never replaced by the offline
writer: on the shared `stack`, which has no platform key for any provider."""

import pytest

from tests.e2e.catalog_steps import call
from tests.e2e.generation_steps import post, project_with_products, stack_balance
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Keyless Shop")


@pytest.mark.parametrize("route", ["generate", "generate/stream", "regenerate"])
def test_a_provider_without_any_key_is_refused_with_422_before_any_work_or_charge(
    stack: Stack, tenant: Tenant, route: str
) -> None:
    project, _ = project_with_products(stack, tenant, 2)
    before = stack_balance(stack, tenant)
    response = post(stack, tenant, f"/projects/{project}/{route}", {"ai_provider": "anthropic"})
    assert response.status_code == 422, response.text
    assert response.json() == {
        "detail": "no API key for provider 'anthropic': add one with PATCH"
                  " /api/v1/organization/api-keys or configure ANTHROPIC_API_KEY",
        "status": 422}
    assert call(stack, "GET", f"/projects/{project}/jobs", tenant.headers).json() == []
    assert stack_balance(stack, tenant) == before


def test_the_refusal_names_the_key_missing_and_a_key_for_another_provider_does_not_help(stack: Stack) -> None:
    own = new_tenant(stack, "Own Key Shop")
    project, _ = project_with_products(stack, own, 1)
    refused = post(stack, own, f"/projects/{project}/generate", {"ai_provider": "openai"})
    assert refused.status_code == 422 and "OPENAI_API_KEY" in refused.json()["detail"]
    changed = call(stack, "PATCH", "/organization/api-keys", own.headers,
                   {"openai_api_key": "org-own-openai-key"})
    assert changed.status_code == 200, changed.text
    other = post(stack, own, f"/projects/{project}/generate", {"ai_provider": "anthropic"})
    assert other.status_code == 422, "a key for one provider does not serve another"


@pytest.mark.parametrize("body", [{"ai_provider": "template"}, {}])
def test_the_template_writer_serves_when_asked_for_or_when_no_provider_is_named(
    stack: Stack, tenant: Tenant, body: dict[str, str]
) -> None:
    project, item_ids = project_with_products(stack, tenant, 2)
    response = post(stack, tenant, f"/projects/{project}/generate", body)
    assert response.status_code == 200, response.text
    results = response.json()
    assert sorted(r["item_id"] for r in results) == sorted(item_ids)
    assert {r["ai_provider"] for r in results} == {"template"}
    assert all(r["status"] in ("generated", "flagged") for r in results)

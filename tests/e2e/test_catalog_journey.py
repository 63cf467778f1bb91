"""The whole journey of a store's catalog, for each platform's export: upload it, generate copy
for every product, review it, regenerate what was rejected, export the store's own file with
the copy merged in, and import that file again."""

import io
from typing import Any

import pytest

from adapters.catalog_files import read_catalog
from tests.e2e.catalog_steps import call, new_project
from tests.e2e.file_source_steps import fixture, upload
from tests.e2e.generation_steps import items_of, post, set_status
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack

EXPORTS = [
    ("shopify", "shopify-products-export.csv"),
    ("woocommerce", "woocommerce-products-export.csv"),
    ("magento2", "magento2-configurable-products-export.csv"),
    ("magento2", "magento2-products.xml"),
]
TEMPLATE = {"ai_provider": "template", "language": "en", "tone": "friendly",
            "max_short_chars": 200, "max_long_chars": 1200}


@pytest.fixture(scope="module")
def shop(stack: Stack) -> Tenant:
    return new_tenant(stack, "Journey Shop")


def imported(stack: Stack, shop: Tenant, platform: str, filename: str,
             content: bytes) -> tuple[str, dict[str, Any]]:
    project = new_project(stack, shop, f"{platform} {filename}", platform)["id"]
    response = upload(stack, shop, project, filename, content)
    assert response.status_code == 200, response.text
    source: dict[str, Any] = response.json()
    assert source["status"] == "completed" and source["item_count"] > 0, source
    return project, source


def writable(items: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Items generation writes for: not variants, not excluded."""
    return [i for i in items.values() if i["item_type"] != "variant" and not i["excluded_at"]]


@pytest.mark.parametrize(("platform", "filename"), EXPORTS)
def test_upload_generate_review_regenerate_export_and_import_again(
    stack: Stack, shop: Tenant, platform: str, filename: str
) -> None:
    project, source = imported(stack, shop, platform, filename, fixture(filename))

    generated = post(stack, shop, f"/projects/{project}/generate", TEMPLATE)
    assert generated.status_code == 200, generated.text
    items = items_of(stack, shop, project)
    products = writable(items)
    assert products and all(i["status"] in ("generated", "flagged") for i in products)
    assert all(i["status"] == "pending" for i in items.values() if i["item_type"] == "variant")
    assert all(i["generated_content"] and i["confidence_score"] is not None for i in products)

    assert len(products) >= 2, "the journey approves one product and rejects another"
    approved, rejected, flagged = products[0], products[1], products[2:3]
    set_status(stack, shop, project, approved["id"], "approved")
    set_status(stack, shop, project, rejected["id"], "rejected")
    for item in flagged:
        set_status(stack, shop, project, item["id"], "flagged")
    again = post(stack, shop, f"/projects/{project}/regenerate-rejected", TEMPLATE)
    assert again.status_code == 200, again.text
    after = items_of(stack, shop, project)
    assert after[rejected["id"]]["status"] in ("generated", "flagged")
    assert after[approved["id"]]["status"] == "approved"
    assert all(after[item["id"]]["status"] == "flagged" for item in flagged)
    assert after[approved["id"]]["generated_content"] == approved["generated_content"]

    exported = call(stack, "GET", f"/projects/{project}/sources/{source['id']}/export",
                    shop.headers)
    assert exported.status_code == 200, exported.text
    records = {r.external_id: r for r in read_catalog(platform, io.BytesIO(exported.content),
                                                      filename=filename)}
    texts = after[approved["id"]]["generated_content"]
    merged = records[approved["external_id"]].source_data
    assert texts["long_description"] and texts["long_description"] in merged["description"]
    assert len(records) == source["item_count"]

    _, reimported = imported(stack, shop, platform, filename, exported.content)
    assert reimported["item_count"] == source["item_count"]


def test_the_journey_shows_what_it_cost(stack: Stack) -> None:
    tenant = new_tenant(stack, "Cost Shop")
    project, _ = imported(stack, tenant, "shopify", "shopify-products-export.csv",
                          fixture("shopify-products-export.csv"))
    before = call(stack, "GET", "/billing/balance", tenant.headers).json()
    assert post(stack, tenant, f"/projects/{project}/generate", TEMPLATE).status_code == 200
    after = call(stack, "GET", "/billing/balance", tenant.headers).json()
    usage = call(stack, "GET", "/usage", tenant.headers).json()
    generated = [i for i in items_of(stack, tenant, project).values()
                 if i["status"] in ("generated", "flagged")]
    assert len(usage) == len(generated) > 0
    assert all(u["ai_provider"] == "template" and u["credits_used"] > 0 for u in usage)
    spent = (float(before["subscription_balance"]) - float(after["subscription_balance"]))
    assert spent == pytest.approx(sum(u["credits_used"] for u in usage))


@pytest.mark.parametrize(("provider", "model"), [("anthropic", "claude-haiku-4-5"),
                                                 ("openai", "gpt-4o-mini")])
def test_an_uploaded_export_is_written_by_a_model_and_exported_with_its_copy(
    llm_stack: Stack, llm_server: FakeLLM, provider: str, model: str
) -> None:
    llm_server.reset()
    tenant = new_tenant(llm_stack, f"{provider} journey")
    project, source = imported(llm_stack, tenant, "shopify", "shopify-products-export.csv",
                               fixture("shopify-products-export.csv"))
    settings = {**TEMPLATE, "ai_provider": provider, "ai_model": model}
    generated = post(llm_stack, tenant, f"/projects/{project}/generate", settings)
    assert generated.status_code == 200, generated.text
    products = writable(items_of(llm_stack, tenant, project))
    assert llm_server.request_count == len(products) > 0
    assert {i["ai_model_used"] for i in products} == {model}
    for item in products:
        set_status(llm_stack, tenant, project, item["id"], "approved")
    exported = call(llm_stack, "GET", f"/projects/{project}/sources/{source['id']}/export",
                    tenant.headers)
    records = {r.external_id: r for r in read_catalog(
        "shopify", io.BytesIO(exported.content), filename="shopify-products-export.csv")}
    for item in products:
        copy = item["generated_content"]["long_description"]
        assert copy and copy in records[item["external_id"]].source_data["description"]

"""Items over real HTTP: listed with filters and optional pages, reviewed one by one or in a
batch, excluded and restored with a parent's variants, exported as CSV."""

import csv
import io
from typing import Any
from uuid import uuid4

import pytest

from tests.e2e.catalog_steps import (
    ITEM_FIELDS,
    call,
    generate,
    items_by_external_id,
    manual_source,
    new_project,
)
from tests.e2e.helpers import Tenant, add_user, new_tenant
from tests.support import Stack, assert_read_models_equal_rebuild, wait_for_projections


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Items Shop")


@pytest.fixture
def shop(stack: Stack, tenant: Tenant) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A project with the shirts source; (project id, source, items by external id)."""
    project = new_project(stack, tenant)
    source = manual_source(stack, tenant, project["id"])
    return project["id"], source, items_by_external_id(stack, tenant, project["id"])


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["external_id"] for row in rows]


def test_items_have_the_seed_shape_and_their_source(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    _, source, items = shop
    assert list(items) == ["TEE", "TEE-S", "TEE-M", "MUG-1"]
    mug = items["MUG-1"]
    assert set(mug) >= ITEM_FIELDS
    assert (mug["status"], mug["item_type"], mug["data_source_id"], mug["data_source_name"]) == (
        "pending", "simple", source["id"], "Manual Entry")
    assert mug["source_data"] == {"sku": "MUG-1", "name": "Stoneware mug",
                                  "description": "A mug, 350 ml."}
    assert mug["generated_content"] == {} and mug["confidence_score"] is None
    assert items["TEE-S"]["parent_id"] == items["TEE"]["id"]
    assert items["TEE-S"]["source_data"]["platform_fields"] == {"size": "S"}


def test_items_filter_by_status_source_and_text_and_page_on_request(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, source, items = shop
    other = manual_source(stack, tenant, project, [{"sku": "CAP-9", "name": "Sun cap"}],
                          name="Caps")
    generate(stack, tenant, project, items["MUG-1"]["id"])
    base = f"/projects/{project}/items"

    def get(query: str) -> list[dict[str, Any]]:
        response = call(stack, "GET", base + query, tenant.headers)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()
        return rows
    assert ids(get("?status=generated")) == ["MUG-1"]
    assert ids(get(f"?source_id={other['id']}")) == ["CAP-9"]
    assert ids(get("?search=linen%20tee%20m")) == ["TEE-M"]
    assert ids(get("?search=breathable")) == ["MUG-1"]
    assert ids(get(f"?status=pending&source_id={source['id']}")) == ["TEE", "TEE-S", "TEE-M"]
    page = call(stack, "GET", base + "?page=2&page_size=2", tenant.headers)
    assert page.status_code == 200
    assert ids(page.json()) == ["TEE-M", "MUG-1"]
    assert (page.headers["x-total-count"], page.headers["x-page"]) == ("5", "2")
    assert "x-total-count" not in call(stack, "GET", base, tenant.headers).headers
    for query in ("?status=published", "?page_size=101", "?page=0", "?source_id=nope"):
        bad = call(stack, "GET", base + query, tenant.headers)
        assert bad.status_code == 400, (query, bad.text)
    assert "published" in call(stack, "GET", base + "?status=published",
                               tenant.headers).json()["detail"]


def test_a_batch_sets_one_status_on_all_or_none(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, items = shop
    generate(stack, tenant, project, items["TEE"]["id"])
    generate(stack, tenant, project, items["MUG-1"]["id"], score=0.2)
    batch = f"/projects/{project}/items/batch"
    both = [items["TEE"]["id"], items["MUG-1"]["id"]]
    for body, status in [
        ({"item_ids": both, "status": "published"}, 422),
        ({"item_ids": [*both, items["TEE-S"]["id"]], "status": "approved"}, 409),
        ({"item_ids": [*both, str(uuid4())], "status": "approved"}, 404),
        ({"item_ids": ["not-a-uuid"], "status": "approved"}, 400),
        ({"item_ids": [], "status": "approved"}, 400),
        ({"status": "approved"}, 400),
    ]:
        response = call(stack, "PATCH", batch, tenant.headers, body)
        assert response.status_code == status, (body, response.text)
    assert call(stack, "GET", f"/projects/{project}", tenant.headers).json()[
        "status_counts"]["approved"] == 0
    response = call(stack, "PATCH", batch, tenant.headers,
                    {"item_ids": both, "status": "approved"})
    assert response.status_code == 200, response.text
    assert [(i["id"], i["status"]) for i in response.json()] == [(i, "approved") for i in both]
    assert response.json()[1]["metadata"]["reviewed_by"]
    counts = call(stack, "GET", f"/projects/{project}", tenant.headers).json()["status_counts"]
    assert (counts["approved"], counts["flagged"], counts["pending"]) == (2, 0, 2)


def test_excluding_a_parent_takes_its_variants_and_restoring_brings_them_back(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, items = shop
    tee = items["TEE"]["id"]
    excluded = call(stack, "POST", f"/projects/{project}/items/exclude", tenant.headers,
                    {"item_ids": [tee]})
    assert excluded.status_code == 200, excluded.text
    assert excluded.json()["count"] == 3
    assert set(excluded.json()["item_ids"]) == {items[k]["id"] for k in ("TEE", "TEE-S", "TEE-M")}
    shown = items_by_external_id(stack, tenant, project)
    assert all(shown[k]["excluded_at"] for k in ("TEE", "TEE-S", "TEE-M"))
    assert shown["MUG-1"]["excluded_at"] is None
    assert ids(call(stack, "GET", f"/projects/{project}/items?status=excluded",
                    tenant.headers).json()) == ["TEE", "TEE-S", "TEE-M"]
    counts = call(stack, "GET", f"/projects/{project}", tenant.headers).json()["status_counts"]
    assert (counts["excluded"], counts["pending"]) == (3, 1)
    restored = call(stack, "POST", f"/projects/{project}/items/restore", tenant.headers,
                    {"item_ids": [tee]})
    assert restored.status_code == 200 and restored.json()["count"] == 3
    counts = call(stack, "GET", f"/projects/{project}", tenant.headers).json()["status_counts"]
    assert (counts["excluded"], counts["pending"]) == (0, 4)


def test_an_edit_is_kept_as_the_reviewers_version(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, items = shop
    mug = items["MUG-1"]["id"]
    generate(stack, tenant, project, mug)
    member = add_user(stack, tenant, "member")
    response = call(stack, "PATCH", f"/projects/{project}/items/{mug}", member, {
        "generated_content": {"short_description": "Hand-thrown stoneware.",
                              "meta_title": ""},
        "status": "approved", "metadata": {"checked": True}})
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["status"] == "approved"
    assert item["generated_content"]["short_description"] == "Hand-thrown stoneware."
    assert "meta_title" not in item["generated_content"]
    assert item["metadata"]["checked"] is True and item["metadata"]["edited_by"]
    assert item["metadata"]["model"] == "template-writer"
    assert item["ai_model_used"] == "template-writer" and item["confidence_score"] == 0.92
    for body, status in [({"generated_content": {"price": "1"}}, 422),
                         ({"status": "synced"}, 422), ({"generated_content": "text"}, 400),
                         ({"metadata": []}, 400)]:
        bad = call(stack, "PATCH", f"/projects/{project}/items/{mug}", member, body)
        assert bad.status_code == status, (body, bad.text)
    missing = call(stack, "PATCH", f"/projects/{project}/items/{uuid4()}", member,
                   {"status": "approved"})
    assert missing.status_code == 404


def test_the_export_is_a_csv_of_the_chosen_items(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, items = shop
    generate(stack, tenant, project, items["MUG-1"]["id"], short="Holds 350 ml, \"quoted\".")
    call(stack, "PATCH", f"/projects/{project}/items/batch", tenant.headers,
         {"item_ids": [items["MUG-1"]["id"]], "status": "approved"})
    response = call(stack, "GET", f"/projects/{project}/export", tenant.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["id", "external_id", "item_type", "parent", "name", "sku",
                             "short_description", "long_description", "meta_title",
                             "meta_description", "status", "confidence_score"]
    assert [(r["external_id"], r["name"], r["short_description"], r["status"]) for r in rows] \
        == [("MUG-1", "Linen T-shirt", "Holds 350 ml, \"quoted\".", "approved")]
    everything = call(stack, "GET", f"/projects/{project}/export?status_filter=all",
                      tenant.headers)
    all_rows = list(csv.DictReader(io.StringIO(everything.content.decode("utf-8-sig"))))
    assert [r["external_id"] for r in all_rows] == ["TEE", "TEE-S", "TEE-M", "MUG-1"]
    assert all_rows[1]["parent"] == "TEE" and all_rows[0]["short_description"] == ""
    searched = call(stack, "GET", f"/projects/{project}/export?status_filter=pending"
                                  "&search=tee%20m", tenant.headers)
    searched_rows = csv.DictReader(io.StringIO(searched.content.decode("utf-8-sig")))
    assert [r["external_id"] for r in searched_rows] == ["TEE-M"]
    bad = call(stack, "GET", f"/projects/{project}/export?status_filter=nope", tenant.headers)
    assert bad.status_code == 400 and "status_filter" in bad.json()["detail"]


def test_a_magento_export_uses_magentos_columns(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Magento store", "magento2")["id"]
    manual_source(stack, tenant, project)
    items = items_by_external_id(stack, tenant, project)
    generate(stack, tenant, project, items["TEE"]["id"])
    response = call(stack, "GET", f"/projects/{project}/export?status_filter=all",
                    tenant.headers)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["sku", "name", "description", "short_description", "meta_title",
                             "meta_description", "url_key", "product_type"]
    tee = rows[0]
    assert (tee["sku"], tee["name"], tee["url_key"], tee["product_type"]) == (
        "TEE", "Linen T-shirt", "linen-tee", "configurable")
    assert tee["description"] == "<p>Breathable linen.</p>"
    assert (rows[1]["product_type"], rows[1]["name"]) == ("simple", "Linen tee S")


def test_another_organizations_items_answer_404(
    stack: Stack, tenant: Tenant, shop: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, items = shop
    intruder = new_tenant(stack, "Item Thief")
    theirs = new_project(stack, intruder)["id"]
    mug = items["MUG-1"]["id"]
    for project_id in (project, theirs):
        for method, path, body in [
            ("PATCH", f"/projects/{project_id}/items/{mug}", {"status": "approved"}),
            ("PATCH", f"/projects/{project_id}/items/batch",
             {"item_ids": [mug], "status": "approved"}),
            ("POST", f"/projects/{project_id}/items/exclude", {"item_ids": [mug]}),
            ("POST", f"/projects/{project_id}/items/restore", {"item_ids": [mug]}),
        ]:
            response = call(stack, method, path, intruder.headers, body)
            assert response.status_code == 404, (method, path, response.text)
            assert "Stoneware" not in response.text
    assert items_by_external_id(stack, tenant, project)["MUG-1"]["excluded_at"] is None


def test_the_read_models_equal_a_rebuild_after_all_this(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, "Last one")["id"]
    manual_source(stack, tenant, project)
    items = items_by_external_id(stack, tenant, project)
    generate(stack, tenant, project, items["TEE"]["id"])
    call(stack, "POST", f"/projects/{project}/items/exclude", tenant.headers,
         {"item_ids": [items["TEE"]["id"]]})
    wait_for_projections(stack.settings)
    assert_read_models_equal_rebuild(stack.settings)

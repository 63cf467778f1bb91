"""File sources over real HTTP: a store export uploaded, imported by a job in the worker, its
variants linked to their parents, its copy merged back into the original file, which imports
again."""

import io
from typing import Any

import psycopg
import pytest

from adapters.catalog_files import read_catalog
from adapters.postgres.codec import decode_event
from bench.catalog_fixture import generate_catalog
from domain.jobs.events import JobUnitProgressed
from tests.e2e.catalog_steps import SOURCE_FIELDS, call, manual_source, new_project
from tests.e2e.file_source_steps import (
    CATALOGS,
    fixture,
    kinds_imported,
    kinds_in_file,
    linked_variants,
    source_items,
    upload,
    uploaded,
)
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

PLATFORM_FILES = [("shopify", "shopify-products-export.csv"),
                  ("woocommerce", "woocommerce-products-export.csv"),
                  ("woocommerce", "woocommerce-wxr.xml"),
                  ("magento2", "magento2-configurable-products-export.csv"),
                  ("magento2", "magento2-products.xml")]


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "File Shop")


@pytest.mark.parametrize(("platform", "filename"), PLATFORM_FILES)
def test_an_uploaded_export_becomes_a_completed_source_with_its_variants_linked(
    stack: Stack, tenant: Tenant, platform: str, filename: str,
) -> None:
    project = new_project(stack, tenant, platform=platform)["id"]

    source = uploaded(stack, tenant, project, filename, fixture(filename))

    expected = kinds_in_file(platform, CATALOGS / filename)
    assert set(source) == SOURCE_FIELDS
    assert (source["type"], source["status"], source["error_message"]) == ("file", "completed", None)
    assert source["item_count"] == sum(expected.values())
    assert source["config"]["filename"] == filename and source["config"]["platform"] == platform
    assert kinds_imported(stack, source["id"]) == expected
    assert linked_variants(stack, source["id"]) == expected["variant"]
    job = call(stack, "GET", f"/jobs/{source['config']['job_id']}", tenant.headers).json()
    assert (job["job_type"], job["status"]) == ("import", "completed")
    assert job["progress_detail"][0]["detail"]["imported"] == source["item_count"]


def test_the_real_magento_export_gives_147_configurables_and_1847_children(
    stack: Stack, tenant: Tenant,
) -> None:
    project = new_project(stack, tenant, platform="magento2")["id"]
    name = "magento2-configurable-products-export.csv"

    source = uploaded(stack, tenant, project, name, fixture(name))

    assert kinds_imported(stack, source["id"]) == {"parent": 147, "variant": 1847}
    assert linked_variants(stack, source["id"]) == 1847


def _write_copy(stack: Stack, tenant: Tenant, project: str, item: dict[str, Any]) -> dict[str, str]:
    texts = {"name": f"New {item['external_id']}", "short_description": "Short and new.",
             "long_description": f"<p>Long copy for {item['external_id']}.</p>",
             "meta_title": "A title", "meta_description": "A description."}
    response = call(stack, "PATCH", f"/projects/{project}/items/{item['id']}", tenant.headers,
                    {"generated_content": texts, "status": "approved"})
    assert response.status_code == 200, response.text
    return texts


@pytest.mark.parametrize(("platform", "filename"), PLATFORM_FILES)
def test_the_export_merges_the_copy_into_the_original_file_which_imports_again(
    stack: Stack, tenant: Tenant, platform: str, filename: str,
) -> None:
    project = new_project(stack, tenant, platform=platform)["id"]
    source = uploaded(stack, tenant, project, filename, fixture(filename))
    products = [i for i in source_items(stack, tenant, project, source["id"])
                if i["item_type"] != "variant"][:2]
    written = {item["external_id"]: _write_copy(stack, tenant, project, item) for item in products}

    response = call(stack, "GET", f"/projects/{project}/sources/{source['id']}/export",
                    tenant.headers)

    assert response.status_code == 200, response.text
    assert f'filename="{filename}"' in response.headers["content-disposition"]
    records = {r.external_id: r for r in read_catalog(platform, io.BytesIO(response.content),
                                                      filename=filename)}
    assert len(records) == source["item_count"]
    for external_id, texts in written.items():
        assert records[external_id].name == texts["name"]
        assert records[external_id].source_data["description"] == texts["long_description"]
    elsewhere = new_project(stack, tenant, name="Round trip", platform=platform)["id"]
    again = uploaded(stack, tenant, elsewhere, filename, response.content)
    assert again["item_count"] == source["item_count"]


def test_a_manual_source_exports_the_canonical_csv(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    source = manual_source(stack, tenant, project)
    item = source_items(stack, tenant, project, source["id"])[0]
    texts = _write_copy(stack, tenant, project, item)

    response = call(stack, "GET", f"/projects/{project}/sources/{source['id']}/export",
                    tenant.headers)

    assert response.status_code == 200, response.text
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("external_id,item_type,parent,name,sku,generated_name")
    assert len(lines) == 1 + source["item_count"]
    assert texts["name"] in lines[1]


def test_approved_only_merges_just_the_approved_items(stack: Stack, tenant: Tenant) -> None:
    name = "woocommerce-products-export.csv"
    project = new_project(stack, tenant)["id"]
    source = uploaded(stack, tenant, project, name, fixture(name))
    first, second = [i for i in source_items(stack, tenant, project, source["id"])
                     if i["item_type"] != "variant"][:2]
    _write_copy(stack, tenant, project, first)
    _write_copy(stack, tenant, project, second)
    call(stack, "PATCH", f"/projects/{project}/items/{second['id']}", tenant.headers,
         {"status": "rejected"})

    response = call(stack, "GET", f"/projects/{project}/sources/{source['id']}/export"
                    "?status_filter=approved", tenant.headers)

    records = {r.external_id: r for r in read_catalog("woocommerce", io.BytesIO(response.content),
                                                      filename=name)}
    assert records[first["external_id"]].name == f"New {first['external_id']}"
    assert records[second["external_id"]].name == second["source_data"]["name"]


def test_detect_columns_names_the_field_of_each_header(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant, platform="shopify")["id"]
    name = "shopify-products-export.csv"

    response = stack_post_file(stack, tenant, f"/projects/{project}/sources/detect-columns",
                               name, fixture(name))

    assert response.status_code == 200, response.text
    columns = {c["header"]: c for c in response.json()}
    assert set(columns["Title"]) == {"header", "field", "confidence", "samples"}
    assert columns["Title"]["field"] == "name" and columns["Title"]["confidence"] == 1.0
    assert columns["Title"]["samples"][0] == "Organic Cotton Hoodie"
    assert columns["Variant SKU"]["field"] == "sku"


def stack_post_file(stack: Stack, tenant: Tenant, path: str, filename: str,
                    content: bytes) -> Any:
    import httpx

    return httpx.post(f"{stack.base_url}/api/v1{path}", headers=tenant.headers,
                      files={"file": (filename, content)}, timeout=60)


def test_another_organizations_project_and_source_are_not_found(
    stack: Stack, tenant: Tenant,
) -> None:
    name = "woocommerce-products-export.csv"
    project = new_project(stack, tenant)["id"]
    source = uploaded(stack, tenant, project, name, fixture(name))
    other = new_tenant(stack, "Other File Shop")

    assert upload(stack, other, project, name, fixture(name)).status_code == 404
    assert stack_post_file(stack, other, f"/projects/{project}/sources/detect-columns", name,
                           fixture(name)).status_code == 404
    exported = call(stack, "GET", f"/projects/{project}/sources/{source['id']}/export",
                    other.headers)
    assert exported.status_code == 404
    own = new_project(stack, other)["id"]
    assert call(stack, "GET", f"/projects/{own}/sources/{source['id']}/export",
                other.headers).status_code == 404


def test_a_large_import_reports_its_rows_as_it_goes(stack: Stack, tenant: Tenant) -> None:
    """Each batch lands with the job's progress (rows so far, of an estimate from the bytes
    read); the job ends showing every product, with the file's count as its total."""
    catalog = io.BytesIO()
    generate_catalog("woocommerce", 12_000, catalog)
    products = sum(1 for _ in read_catalog("woocommerce", io.BytesIO(catalog.getvalue()),
                                           filename="big.csv"))
    project = new_project(stack, tenant, platform="woocommerce")["id"]

    source = uploaded(stack, tenant, project, "big.csv", catalog.getvalue())

    job_id = source["config"]["job_id"]
    job = call(stack, "GET", f"/jobs/{job_id}", tenant.headers).json()
    assert (job["status"], job["progress_current"], job["progress_total"]) == (
        "completed", products, products)
    with psycopg.connect(stack.settings.database_url) as conn:
        rows = conn.execute("SELECT topic, state FROM events WHERE originator_id = %s"
                            " ORDER BY originator_version", (job_id,)).fetchall()
    reports = [event for event in (decode_event(topic, bytes(state))[0] for topic, state in rows)
               if isinstance(event, JobUnitProgressed)]
    done = [report.done for report in reports]
    assert len(reports) >= 4 and done == sorted(set(done)) and done[-1] == products
    assert all(report.expected is not None and report.expected >= report.done
               for report in reports)
    # an estimate from the bytes read: the reader reads a chunk (1 MB) ahead of its rows
    assert reports[0].expected is not None and products * 0.5 <= reports[0].expected <= products * 1.5
    listed = call(stack, "GET", f"/projects/{project}/jobs", tenant.headers).json()
    assert [(j["progress_current"], j["progress_total"]) for j in listed if j["id"] == job_id] \
        == [(products, products)]

"""Every CSV download names one charset, and follows one BOM rule: a CSV copydesk writes
itself is UTF-8 with a BOM; a file source's export keeps the store file's own encoding and
its BOM, or its lack of one, byte for byte where no copy was merged."""

import pytest

from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.file_source_steps import fixture, uploaded
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

BOM = b"\xef\xbb\xbf"
WOO = "woocommerce-products-export.csv"


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Spreadsheet Shop")


def _download(stack: Stack, tenant: Tenant, path: str) -> tuple[str, bytes]:
    response = call(stack, "GET", path, tenant.headers)
    assert response.status_code == 200, response.text
    return response.headers["content-type"], response.content


def test_the_exports_copydesk_writes_are_utf8_with_a_bom_and_one_charset(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    source = manual_source(stack, tenant, project, [{"sku": "CAFE-1", "name": "Café crème"}])
    for path in (f"/projects/{project}/export?status_filter=all",
                 f"/projects/{project}/sources/{source['id']}/export"):
        content_type, body = _download(stack, tenant, path)
        assert content_type == "text/csv; charset=utf-8", path
        assert body.startswith(BOM) and not body[3:].startswith(BOM), path
        assert "Café crème" in body.decode("utf-8-sig"), path


@pytest.mark.parametrize(("encoding", "bom", "charset"), [
    ("utf-8", BOM, "utf-8"), ("utf-8", b"", "utf-8"), ("cp1252", b"", "windows-1252")])
def test_a_file_sources_export_keeps_the_files_encoding_and_bom(
    stack: Stack, tenant: Tenant, encoding: str, bom: bytes, charset: str
) -> None:
    original = bom + fixture(WOO).decode("utf-8-sig").encode(encoding)
    project = new_project(stack, tenant)["id"]
    source = uploaded(stack, tenant, project, WOO, original)
    content_type, body = _download(stack, tenant,
                                   f"/projects/{project}/sources/{source['id']}/export")
    assert content_type == f"text/csv; charset={charset}"
    assert body == original, "no copy written: the store's file comes back byte for byte"

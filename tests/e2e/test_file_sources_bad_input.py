"""Bad catalog files over real HTTP: refused with a 400/413 naming the problem, before anything
is kept (no source, no stored file); a file broken far down fails its source, which says where."""

import dataclasses
import io
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.catalog_files import read_catalog
from bench.catalog_fixture import generate_catalog
from tests.e2e.catalog_steps import call, new_project
from tests.e2e.file_source_steps import fixture, upload
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Processes, Stack

MAGENTO_HEADER = b"sku,product_type,name,description,price\n"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<products><product><sku>A</sku><product_type>simple</product_type><name>&lol4;</name></product>
</products>
"""


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Broken Files Shop")


def _nothing_kept(stack: Stack, tenant: Tenant, project: str) -> None:
    listed = call(stack, "GET", f"/projects/{project}/sources", tenant.headers).json()
    assert listed == {"sources": [], "total_items": 0}
    assert not (stack.settings.home / "files" / str(tenant.org_id)).exists()


@pytest.mark.parametrize(("platform", "filename", "content", "says"), [
    ("magento2", "broken.csv", MAGENTO_HEADER + b'S-1,simple,"Lamp,,9\nS-2,simple,Desk,,1\n',
     "line 2, column 'name': unterminated quoted field"),
    ("magento2", "odd.xml", b'<?xml version="1.0" encoding="klingon"?><products/>',
     "unknown encoding: klingon"),
    ("magento2", "bomb.xml", BOMB, "line 2: the XML declares a DTD or entities"),
    ("magento2", "shopify.csv", fixture("shopify-products-export.csv"), "lacks the magento2 column"),
    ("shopify", "woo.csv", fixture("woocommerce-products-export.csv"), "'Handle'"),
    ("magento2", "empty.csv", b"", "empty"),
    ("magento2", "header.csv", MAGENTO_HEADER, "the file holds no products"),
    ("magento2", "sheet.csv", b"PK\x03\x04" + bytes(range(256)) * 4, "spreadsheet (Excel)"),
], ids=["unterminated-quote", "unknown-encoding", "xml-bomb", "wrong-platform-magento",
        "wrong-platform-shopify", "empty", "header-only", "spreadsheet"])
def test_a_bad_file_is_refused_with_its_problem_and_leaves_nothing(
    stack: Stack, tenant: Tenant, platform: str, filename: str, content: bytes, says: str,
) -> None:
    project = new_project(stack, tenant, platform=platform)["id"]
    started = time.monotonic()

    response = upload(stack, tenant, project, filename, content)

    assert response.status_code == 400, response.text
    assert says in response.json()["detail"] and response.json()["status"] == 400
    assert time.monotonic() - started < 5
    _nothing_kept(stack, tenant, project)


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"data": {"name": "no file"}, "files": {"other": ("a.csv", b"x")}}, "no 'file' file part"),
    ({"data": {"file": "not a file"}, "files": {"other": ("a.csv", b"x")}}, "must be a file part"),
    ({"json": {"file": "x"}}, "multipart/form-data"),
    ({"data": {"column_mapping": "{"}, "files": {"file": ("a.csv", MAGENTO_HEADER)}},
     "column_mapping must be a JSON object"),
], ids=["no-file-part", "file-as-text", "json-body", "bad-column-mapping"])
def test_a_form_without_a_usable_file_part_is_a_400(
    stack: Stack, tenant: Tenant, kwargs: dict[str, object], says: str,
) -> None:
    project = new_project(stack, tenant, platform="magento2")["id"]

    response = httpx.post(f"{stack.base_url}/api/v1/projects/{project}/sources/file",
                          headers=tenant.headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    assert response.status_code == 400, response.text
    assert says in response.json()["detail"]
    _nothing_kept(stack, tenant, project)


@pytest.fixture(scope="module")
def small_limit_api(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second API process of the same stack that takes uploads up to 20 kB."""
    settings = dataclasses.replace(stack.settings, max_upload_mb=20 / 1024)
    processes = Processes(settings, tmp_path_factory.mktemp("small-api"))
    try:
        yield processes.start_api()
    finally:
        processes.stop_all()


def test_a_file_over_the_upload_limit_is_a_413(
    stack: Stack, tenant: Tenant, small_limit_api: str,
) -> None:
    project = new_project(stack, tenant, platform="magento2")["id"]
    big = MAGENTO_HEADER + b"".join(b"S-%d,simple,Lamp %d,,9\n" % (n, n) for n in range(2000))
    url = f"{small_limit_api}/api/v1/projects/{project}/sources/file"

    sized = upload(stack, tenant, project, "big.csv", big, base_url=small_limit_api)
    request = httpx.Request("POST", url, files={"file": ("big.csv", big)})
    body = request.read()
    chunked = httpx.post(url, headers={**tenant.headers, "Content-Type": request.headers[
        "content-type"]}, content=iter([body[:1000], body[1000:]]), timeout=30)
    small = upload(stack, tenant, project, "small.csv", big[:5000], base_url=small_limit_api)

    for response in (sized, chunked):
        assert response.status_code == 413, response.text
        assert response.json() == {"detail": "the file is larger than the limit of 0.0195312 MB",
                                   "status": 413}
    assert small.status_code == 200, small.text


def test_a_file_broken_far_down_fails_its_source_naming_the_line_and_keeps_what_came_before(
    stack: Stack, tenant: Tenant, tmp_path: Path,
) -> None:
    good = io.BytesIO()
    generate_catalog("woocommerce", 3000, good)
    before = sum(1 for _ in read_catalog("woocommerce", io.BytesIO(good.getvalue()),
                                         filename="w.csv"))
    lines = good.getvalue().count(b"\n")
    broken = good.getvalue() + b'simple,BROKEN-1,"Never closed\n'
    project = new_project(stack, tenant, platform="woocommerce")["id"]

    response = upload(stack, tenant, project, "woo.csv", broken)

    assert response.status_code == 200, response.text
    source = response.json()
    assert source["status"] == "failed"
    assert source["error_message"].startswith(f"line {lines + 1}")
    assert "unterminated quoted field" in source["error_message"]
    assert source["item_count"] == before
    job = call(stack, "GET", f"/jobs/{source['config']['job_id']}", tenant.headers).json()
    assert job["status"] == "failed" and "unterminated" in job["progress_detail"][0]["error"]

"""External product feeds end to end: a JSON and an XML feed served by a local HTTP server are
created, synced by a `feed.sync` job in the stack's worker and found by
`GET /api/ai-pages/query`; a re-sync applies changes and removals, a private address fails
the job with the reason on the feed, a feed whose every record lacks a SKU or a name fails
saying so on its item, its job and the feed (its products kept), another organization gets
404, bad input is 4xx naming the field and a segment of one feed narrows the query."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, own_stack, wait_until


class FeedServer:
    """Serves `documents` (path → (content type, body)); the test may change them."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[str, bytes]] = {}
        documents = self.documents

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = documents.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", found[0])
                self.send_header("Content-Length", str(len(found[1])))
                self.end_headers()
                self.wfile.write(found[1])

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def set_json(self, path: str, body: str) -> None:
        self.documents[path] = ("application/json", body.encode())

    def set_xml(self, path: str, body: str) -> None:
        self.documents[path] = ("application/xml", body.encode())


JSON_FEED = """[
 {"id": "LAMP-1", "title": "Brass desk lamp", "price": "79.00",
  "link": "https://shop.test/lamp-1", "text": "A brass lamp for the desk."},
 {"id": "LAMP-2", "title": "Paper floor lamp", "price": "49.00",
  "link": "https://shop.test/lamp-2", "text": "A tall paper lamp."}
]"""
JSON_FEED_CHANGED = """[
 {"id": "LAMP-1", "title": "Copper desk lamp", "price": "89.00",
  "link": "https://shop.test/lamp-1-copper", "text": "A copper lamp for the desk."}
]"""
XML_FEED = """<?xml version="1.0"?>
<products>
 <product><sku>XL-1</sku><name>Ceramic table lamp</name><price>65.00</price>
  <url>https://shop.test/xl-1</url></product>
 <product><sku>XL-2</sku><name>Wool blanket</name><price>90.00</price>
  <url>https://shop.test/xl-2</url></product>
</products>"""


@pytest.fixture(scope="module")
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.set_json("/feed.json", JSON_FEED)
    server.set_xml("/feed.xml", XML_FEED)
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.fixture(scope="module")
def feeds_stack(servers: EmbeddedServers,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own whose worker may fetch feeds from loopback (the local server)."""
    with own_stack(servers.database_url, tmp_path_factory.mktemp("feeds-stack"),
                   feeds_allow_loopback=True) as stack:
        yield stack


@pytest.fixture(scope="module")
def shop(feeds_stack: Stack) -> Tenant:
    return new_tenant(feeds_stack, "Feeds Shop")


def ai(stack: Stack, method: str, path: str, headers: dict[str, str],
       body: object = None) -> httpx.Response:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    return httpx.request(method, f"{stack.base_url}/api/ai-pages{path}", headers=headers,
                         timeout=30, **kwargs)


def create(stack: Stack, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    response = ai(stack, "POST", "/feeds/", tenant.headers, {"name": "Feed", **fields})
    assert response.status_code == 201, response.text
    feed: dict[str, Any] = response.json()
    return feed


def sync(stack: Stack, tenant: Tenant, feed: int) -> dict[str, Any]:
    """Sync the feed and wait for its job to end; the job."""
    response = ai(stack, "POST", f"/feeds/{feed}/sync/", tenant.headers)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    url = f"{stack.base_url}/api/v1/jobs/{job_id}"
    ended: dict[str, Any] = {}

    def done() -> bool:
        job = httpx.get(url, headers=tenant.headers, timeout=30)
        assert job.status_code == 200, job.text
        ended.update(job.json())
        return ended["status"] in ("completed", "failed", "cancelled")
    wait_until(done, 60, "the feed sync job to end")
    return ended


def found(stack: Stack, tenant: Tenant, q: str, **params: Any) -> dict[str, dict[str, Any]]:
    response = httpx.get(f"{stack.base_url}/api/ai-pages/query", headers=tenant.headers,
                         params={"q": q, "limit": 100, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return {hit["sku"]: hit for hit in response.json()["results"]}


def wait_found(stack: Stack, tenant: Tenant, q: str, skus: set[str], **params: Any) -> None:
    wait_until(lambda: set(found(stack, tenant, q, **params)) == skus, 30,
               f"the query {q!r} to find {sorted(skus)}")


@pytest.fixture(scope="module")
def feeds(feeds_stack: Stack, shop: Tenant, feed_server: FeedServer) -> dict[str, int]:
    """A JSON and an XML feed, each synced once."""
    json_feed = create(feeds_stack, shop, url=feed_server.url + "/feed.json", format="json",
                       field_map={"id": "sku", "title": "name", "link": "url",
                                  "text": "description"})
    xml_feed = create(feeds_stack, shop, name="XML", url=feed_server.url + "/feed.xml",
                      format="xml")
    for feed in (json_feed, xml_feed):
        job = sync(feeds_stack, shop, feed["id"])
        assert job["status"] == "completed", job
    return {"json": json_feed["id"], "xml": xml_feed["id"]}


def test_synced_products_are_found_with_their_urls(feeds_stack: Stack, shop: Tenant,
                                                   feeds: dict[str, int]) -> None:
    wait_found(feeds_stack, shop, "lamp", {"LAMP-1", "LAMP-2", "XL-1"})
    hits = found(feeds_stack, shop, "lamp")
    assert hits["LAMP-1"]["url"] == "https://shop.test/lamp-1"
    assert (hits["LAMP-1"]["name"], hits["LAMP-1"]["price"]) == ("Brass desk lamp", "79.00")
    assert hits["XL-1"]["url"] == "https://shop.test/xl-1"
    assert set(found(feeds_stack, shop, "blanket")) == {"XL-2"}
    feed = ai(feeds_stack, "GET", f"/feeds/{feeds['json']}/", shop.headers).json()
    assert (feed["last_sync_status"], feed["last_sync_error"]) == ("succeeded", None)
    assert feed["product_count"] == 2 and feed["last_sync_job_id"] is not None


def test_a_resync_applies_changes_and_removals(feeds_stack: Stack, shop: Tenant,
                                              feeds: dict[str, int],
                                              feed_server: FeedServer) -> None:
    wait_found(feeds_stack, shop, "lamp", {"LAMP-1", "LAMP-2", "XL-1"})
    feed_server.set_json("/feed.json", JSON_FEED_CHANGED)
    try:
        job = sync(feeds_stack, shop, feeds["json"])
        assert job["status"] == "completed", job
        detail = job["progress_detail"][0]["detail"]
        assert {key: detail[key] for key in ("products", "added", "changed", "removed")} == {
            "products": 1, "added": 0, "changed": 1, "removed": 1}, detail
        wait_found(feeds_stack, shop, "lamp", {"LAMP-1", "XL-1"})
        lamp = found(feeds_stack, shop, "lamp")["LAMP-1"]
        assert (lamp["name"], lamp["price"], lamp["url"]) == (
            "Copper desk lamp", "89.00", "https://shop.test/lamp-1-copper")
        feed = ai(feeds_stack, "GET", f"/feeds/{feeds['json']}/", shop.headers).json()
        assert feed["product_count"] == 1
    finally:
        feed_server.set_json("/feed.json", JSON_FEED)
        assert sync(feeds_stack, shop, feeds["json"])["status"] == "completed"


def test_a_private_address_fails_the_sync_with_the_reason(feeds_stack: Stack,
                                                         shop: Tenant) -> None:
    feed = create(feeds_stack, shop, url="http://10.0.0.1/feed.json", format="json")
    job = sync(feeds_stack, shop, feed["id"])
    assert job["status"] == "failed", job
    path = f"/feeds/{feed['id']}/"

    def recorded() -> bool:
        return bool(ai(feeds_stack, "GET", path, shop.headers).json()["last_sync_status"]
                    == "failed")
    wait_until(recorded, 30, "the failed sync on the feed")
    error = ai(feeds_stack, "GET", path, shop.headers).json()["last_sync_error"]
    assert "private" in error and "could not be fetched" in error, error


def test_a_feed_whose_every_record_is_passed_over_fails_saying_why(
    feeds_stack: Stack, shop: Tenant, feeds: dict[str, int],
) -> None:
    path = f"/feeds/{feeds['json']}/"
    before = ai(feeds_stack, "GET", path, shop.headers).json()["product_count"]
    changed = ai(feeds_stack, "PATCH", path, shop.headers, {"field_map": {"id": "sku"}})
    assert changed.status_code == 200, changed.text
    try:
        job = sync(feeds_stack, shop, feeds["json"])
        assert job["status"] == "failed", job
        reason = "none of the feed's 2 records has 'name'"
        assert job["error"].startswith("every item failed: " + reason), job
        assert [(i["status"], i["error"][:len(reason)]) for i in job["progress_detail"]] == [
            ("failed", reason)], job
        assert "title" in job["progress_detail"][0]["error"]

        def recorded() -> bool:
            return bool(ai(feeds_stack, "GET", path, shop.headers).json()["last_sync_status"]
                        == "failed")
        wait_until(recorded, 30, "the failed sync on the feed")
        feed = ai(feeds_stack, "GET", path, shop.headers).json()
        assert feed["last_sync_error"].startswith(reason), feed
        assert feed["product_count"] == before
        wait_found(feeds_stack, shop, "lamp", {"LAMP-1", "LAMP-2", "XL-1"})
    finally:
        ai(feeds_stack, "PATCH", path, shop.headers, {"field_map": {
            "id": "sku", "title": "name", "link": "url", "text": "description"}})
        assert sync(feeds_stack, shop, feeds["json"])["status"] == "completed"


def test_another_organization_gets_404(feeds_stack: Stack, feeds: dict[str, int]) -> None:
    stranger = new_tenant(feeds_stack, "Other Feeds Shop")
    path = f"/feeds/{feeds['json']}/"
    for method, at in (("GET", path), ("PATCH", path), ("POST", path + "sync/"),
                       ("DELETE", path)):
        body = {"name": "Mine"} if method == "PATCH" else None
        response = ai(feeds_stack, method, at, stranger.headers, body)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["status"] == 404
    assert ai(feeds_stack, "GET", "/feeds/", stranger.headers).json() == []
    assert found(feeds_stack, stranger, "lamp") == {}


@pytest.mark.parametrize(("body", "named"), [
    ({"name": "F", "url": "https://shop.test/f.csv", "format": "csv"}, "format"),
    ({"name": "F", "url": "https://shop.test/f.json", "format": "json", "field_map": []},
     "field_map"),
    ({"name": "F", "url": "https://shop.test/f.json", "format": "json",
      "field_map": "sku"}, "field_map"),
    ({"name": "F", "url": "https://shop.test/f.json", "format": "json",
      "field_map": {"id": "colour"}}, "field_map"),
    ({"name": "F", "format": "json"}, "url"),
    ({"name": "F", "url": "ftp://shop.test/f.json", "format": "json"}, "url"),
])
def test_bad_input_is_4xx_naming_the_field(feeds_stack: Stack, shop: Tenant,
                                           body: dict[str, Any], named: str) -> None:
    response = ai(feeds_stack, "POST", "/feeds/", shop.headers, body)
    assert 400 <= response.status_code < 500, response.text
    assert named in response.json()["detail"], response.text
    assert response.json()["status"] == response.status_code


def test_a_segment_of_one_feed_narrows_the_query(feeds_stack: Stack, shop: Tenant,
                                                 feeds: dict[str, int]) -> None:
    wait_found(feeds_stack, shop, "lamp", {"LAMP-1", "LAMP-2", "XL-1"})
    for kind, skus in (("json", {"LAMP-1", "LAMP-2"}), ("xml", {"XL-1"})):
        response = ai(feeds_stack, "POST", "/segments/", shop.headers,
                      {"name": f"Only {kind}", "feeds": [feeds[kind]]})
        assert response.status_code == 201, response.text
        assert set(found(feeds_stack, shop, "lamp", segment_id=response.json()["id"])) == skus


def test_a_deleted_feed_takes_its_products_out_of_search(feeds_stack: Stack, shop: Tenant,
                                                         feed_server: FeedServer) -> None:
    feed_server.set_json("/vases.json", '[{"sku": "VASE-1", "name": "Glass vase"}]')
    feed = create(feeds_stack, shop, url=feed_server.url + "/vases.json", format="json")
    assert sync(feeds_stack, shop, feed["id"])["status"] == "completed"
    wait_found(feeds_stack, shop, "vase", {"VASE-1"})
    path = f"/feeds/{feed['id']}/"
    assert ai(feeds_stack, "DELETE", path, shop.headers).status_code == 204
    assert found(feeds_stack, shop, "vase") == {}
    assert ai(feeds_stack, "GET", path, shop.headers).status_code == 404
    assert ai(feeds_stack, "POST", path + "sync/", shop.headers).status_code == 404

"""A local HTTP server speaking the three store APIs copydesk connects to, each on its own
paths, with a memory of what it was asked and scripts of failures:

* Shopify GraphQL Admin (`POST /admin/api/<version>/graphql.json`, `X-Shopify-Access-Token`):
  `shop`, `products(first, after, query)` with cursors, `productUpdate` with `userErrors`,
  `extensions.cost` on every answer and `THROTTLED` answers on demand;
* WooCommerce REST v3 (`/wp-json/wc/v3`, HTTP Basic key:secret): products with
  `page`/`per_page` and `X-WP-Total(Pages)`, variations, categories, `products/batch` (more
  than 100 → 413, per-item errors inside a 200), 429 with `Retry-After` on demand;
* Magento 2 REST (`/rest[/<store>]/V1`, bearer token): store groups, products by
  `searchCriteria` pages, categories, `PUT /rest/<store>/V1/products/<sku>`.
"""

import base64
import dataclasses
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

SHOPIFY_TOKEN = "shpat_fake_token_1234"
WOO_KEY, WOO_SECRET = "ck_fake_key_1234", "cs_fake_secret_1234"
MAGENTO_TOKEN = "magento_fake_token_1234"


@dataclasses.dataclass
class Received:
    platform: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclasses.dataclass
class FakeStoreState:
    shopify_products: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    woo_products: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    woo_variations: dict[int, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    magento_products: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    throttle_next: int = 0
    """Shopify: answer this many calls THROTTLED."""
    rate_limit_next: int = 0
    """WooCommerce and Magento: answer this many calls 429 with Retry-After."""
    failing_ids: set[str] = dataclasses.field(default_factory=set)
    """Ids (Woo) / gids (Shopify) / SKUs (Magento) whose update fails."""
    delay_seconds: float = 0.0
    """Wait this long before answering (a slow store)."""
    received: list[Received] = dataclasses.field(default_factory=list)

    def updates(self, platform: str) -> list[Received]:
        writes = {"shopify": "POST", "woocommerce": "POST", "magento2": "PUT"}[platform]
        return [r for r in self.received if r.platform == platform and r.method == writes
                and ("productUpdate" in json.dumps(r.body) or platform != "shopify")
                and (platform != "woocommerce" or r.path.endswith("/batch"))]


def _cost(requested: int = 10, available: float = 990.0) -> dict[str, Any]:
    return {"cost": {"requestedQueryCost": requested, "actualQueryCost": requested,
                     "throttleStatus": {"maximumAvailable": 1000.0,
                                        "currentlyAvailable": available, "restoreRate": 50.0}}}


class _Handler(BaseHTTPRequestHandler):
    state: FakeStoreState
    lock: threading.Lock

    def log_message(self, *_: Any) -> None:
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        body = self._body()
        platform = ("shopify" if path.startswith("/admin/") else
                    "woocommerce" if path.startswith("/wp-json") else "magento2")
        if self.state.delay_seconds:
            time.sleep(self.state.delay_seconds)
        with self.lock:
            self.state.received.append(Received(platform, method, path, dict(self.headers), body))
            if platform != "shopify" and self.state.rate_limit_next > 0:
                self.state.rate_limit_next -= 1
                self._send(429, {"message": "Too many requests"}, {"Retry-After": "1"})
                return
        if platform == "shopify":
            self._shopify(path, body)
        elif platform == "woocommerce":
            self._woo(method, path, query, body)
        else:
            self._magento(method, path, query, body)

    # --- Shopify ------------------------------------------------------------------------

    def _shopify(self, path: str, body: Any) -> None:
        if not re.fullmatch(r"/admin/api/[0-9-]+/graphql\.json", path):
            self._send(404, {"errors": "Not Found"})
            return
        if self.headers.get("X-Shopify-Access-Token") != SHOPIFY_TOKEN:
            self._send(401, {"errors": "[API] Invalid API key or access token"})
            return
        with self.lock:
            if self.state.throttle_next > 0:
                self.state.throttle_next -= 1
                self._send(200, {"errors": [{"message": "Throttled",
                                             "extensions": {"code": "THROTTLED"}}],
                                 "extensions": _cost(50, 5.0)})
                return
        query, variables = body.get("query", ""), body.get("variables") or {}
        if "productUpdate" in query:
            self._send(200, {"data": self._product_update(variables["product"]),
                             "extensions": _cost()})
        elif "products(" in query:
            self._send(200, {"data": self._shopify_products(variables), "extensions": _cost()})
        elif "productsCount" in query:
            found = _shopify_filter(self.state.shopify_products, variables.get("query") or "")
            self._send(200, {"data": {"productsCount": {"count": len(found)}},
                             "extensions": _cost()})
        elif "collections(" in query:
            self._send(200, {"data": {"collections": {"nodes": [
                {"id": "gid://shopify/Collection/1", "title": "Lamps", "handle": "lamps"}]}},
                "extensions": _cost()})
        elif "shop" in query:
            self._send(200, {"data": {"shop": {"name": "Fake Shopify Shop"}},
                             "extensions": _cost()})
        else:
            self._send(200, {"errors": [{"message": "unknown query"}]})

    def _shopify_products(self, variables: dict[str, Any]) -> dict[str, Any]:
        found = _shopify_filter(self.state.shopify_products, variables.get("query") or "")
        start = int(variables.get("after") or 0)
        page = found[start:start + int(variables.get("first") or 50)]
        end = start + len(page)
        return {"products": {"nodes": page, "pageInfo": {
            "hasNextPage": end < len(found), "endCursor": str(end) if page else None}}}

    def _product_update(self, product: dict[str, Any]) -> dict[str, Any]:
        gid = product.get("id")
        if gid in self.state.failing_ids:
            return {"productUpdate": {"product": None, "userErrors": [
                {"field": ["descriptionHtml"], "message": "Description is invalid"}]}}
        for node in self.state.shopify_products:
            if node["id"] == gid:
                node["descriptionHtml"] = product.get("descriptionHtml", node["descriptionHtml"])
                node["seo"] = product.get("seo", node.get("seo"))
                return {"productUpdate": {"product": {"id": gid, "descriptionHtml":
                        node["descriptionHtml"], "seo": node["seo"]}, "userErrors": []}}
        return {"productUpdate": {"product": None, "userErrors": [
            {"field": ["id"], "message": "Product does not exist"}]}}

    # --- WooCommerce --------------------------------------------------------------------

    def _woo(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        if path in ("/wp-json", "/wp-json/"):
            self._send(200, {"name": "Fake Woo Shop", "url": "http://woo.test"})
            return
        expected = "Basic " + base64.b64encode(f"{WOO_KEY}:{WOO_SECRET}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._send(401, {"code": "woocommerce_rest_cannot_view",
                             "message": "Sorry, you cannot list resources.",
                             "data": {"status": 401}})
            return
        rest = path.removeprefix("/wp-json/wc/v3")
        if method == "GET" and rest == "/products":
            found = [p for p in self.state.woo_products if _woo_matches(p, query)]
            self._paged(found, query)
        elif method == "GET" and (m := re.fullmatch(r"/products/(\d+)/variations", rest)):
            self._paged(self.state.woo_variations.get(int(m.group(1)), []), query)
        elif method == "GET" and rest == "/products/categories":
            self._paged([{"id": 9, "name": "Lamps", "slug": "lamps"}], query)
        elif method == "POST" and re.fullmatch(r"/products(/\d+/variations)?/batch", rest):
            self._woo_batch(body)
        else:
            self._send(404, {"code": "rest_no_route", "message": "No route",
                             "data": {"status": 404}})

    def _paged(self, found: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
        per_page = int(query.get("per_page", ["10"])[0])
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(found) // per_page))
        self._send(200, found[(page - 1) * per_page:page * per_page],
                   {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)})

    def _woo_batch(self, body: Any) -> None:
        updates = (body or {}).get("update") or []
        if len(updates) > 100:
            self._send(413, {"code": "woocommerce_rest_request_entity_too_large",
                             "message": "Unable to accept more than 100 items for this request.",
                             "data": {"status": 413}})
            return
        answers = []
        for update in updates:
            if str(update.get("id")) in self.state.failing_ids:
                answers.append({"id": update.get("id"), "error": {
                    "code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                    "data": {"status": 400}}})
            else:
                answers.append({"id": update.get("id"), **update})
        self._send(200, {"update": answers})

    # --- Magento ------------------------------------------------------------------------

    def _magento(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        if self.headers.get("Authorization") != f"Bearer {MAGENTO_TOKEN}":
            self._send(401, {"message": "The consumer isn't authorized to access %resources."})
            return
        m = re.fullmatch(r"/rest(?:/([a-z0-9_]+))?/V1(/.*)", path)
        if m is None:
            self._send(404, {"message": "Request does not match any route."})
            return
        rest = m.group(2)
        if method == "GET" and rest == "/store/storeGroups":
            self._send(200, [{"id": 1, "name": "Fake Magento Store", "code": "main"}])
        elif method == "GET" and rest == "/products":
            size = int(query.get("searchCriteria[pageSize]", ["20"])[0])
            page = int(query.get("searchCriteria[currentPage]", ["1"])[0])
            items = self.state.magento_products
            self._send(200, {"items": items[(page - 1) * size:page * size],
                             "total_count": len(items)})
        elif method == "GET" and rest == "/categories/list":
            self._send(200, {"items": [{"id": 3, "name": "Gear"}], "total_count": 1})
        elif method == "PUT" and (p := re.fullmatch(r"/products/([^/]+)", rest)):
            sku = unquote(p.group(1))
            if sku in self.state.failing_ids:
                self._send(400, {"message": "The product was unable to be saved."})
                return
            self._send(200, {"id": 1, "sku": sku, **(body or {}).get("product", {})})
        else:
            self._send(404, {"message": "Request does not match any route."})


def _shopify_filter(products: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    found = products
    for term in query.split():
        name, _, value = term.partition(":")
        key = {"product_type": "productType", "vendor": "vendor", "status": "status"}.get(name)
        if key is not None:
            found = [p for p in found if str(p.get(key, "")).lower() == value.strip("'\"").lower()]
    return found


def _woo_matches(product: dict[str, Any], query: dict[str, list[str]]) -> bool:
    if "status" in query and product.get("status") != query["status"][0]:
        return False
    if "category" in query:
        return any(str(c.get("id")) == query["category"][0] for c in product.get("categories", []))
    return True


class FakeStores:
    def __init__(self) -> None:
        self.state = FakeStoreState()
        handler = type("Handler", (_Handler,), {"state": self.state, "lock": threading.Lock()})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@contextmanager
def running_fake_stores() -> Iterator[FakeStores]:
    fake = FakeStores()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()

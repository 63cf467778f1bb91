"""The outbound-URL guard: only public addresses (loopback when a test allows it), checked
again on every redirect, with limits on size, time and redirects — against a local server."""

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio
import pytest

from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, fetch, refused_address

TESTS = OutboundPolicy(allow_loopback=True, max_bytes=1000, timeout_seconds=2)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {"/feed": (200, {}, b'[{"sku": "A"}]'),
                  "/big": (200, {}, b"x" * 5000),
                  "/to-feed": (302, {"Location": "/feed"}, b""),
                  "/to-metadata": (302, {"Location": "http://169.254.169.254/latest"}, b""),
                  "/to-private": (301, {"Location": "http://10.1.2.3/feed"}, b""),
                  "/loop": (302, {"Location": "/loop"}, b""),
                  "/missing": (404, {}, b"no")}
        if self.path == "/slow":
            time.sleep(3)
        status, headers, body = routes.get(self.path, (200, {}, b"late"))
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow answer)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}"
    httpd.shutdown()


def get(url: str, policy: OutboundPolicy = TESTS) -> bytes:
    async def run() -> bytes:
        return await fetch(url, policy)
    return anyio.run(run)


def test_a_feed_is_fetched_and_redirects_are_followed(server: str) -> None:
    assert get(f"{server}/feed") == b'[{"sku": "A"}]'
    assert get(f"{server}/to-feed") == b'[{"sku": "A"}]'


@pytest.mark.parametrize(("path", "says"), [
    ("/to-metadata", "cloud metadata"), ("/to-private", "private"), ("/loop", "redirects"),
    ("/big", "larger than 1000 bytes"), ("/missing", "answered 404"),
    ("/slow", "longer than 2 seconds"),
])
def test_what_the_guard_refuses(server: str, path: str, says: str) -> None:
    with pytest.raises(OutboundRefusedError, match=says):
        get(server + path)


def test_loopback_is_refused_unless_the_policy_allows_it(server: str) -> None:
    with pytest.raises(OutboundRefusedError, match="loopback"):
        get(f"{server}/feed", OutboundPolicy())


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "http:///x",
                                 "http://no-such-host.invalid/feed", "http://example.com:99999/"])
def test_urls_that_cannot_be_fetched_are_refused(url: str) -> None:
    with pytest.raises(OutboundRefusedError):
        get(url)


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.8", "private"),
    ("192.168.1.1", "private"), ("172.16.0.1", "private"), ("100.64.0.1", "private"),
    ("169.254.169.254", "metadata"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("0.0.0.0", "private"), ("::ffff:10.0.0.1", "private"),
    ("fd00:ec2::254", "metadata"), ("100.100.100.200", "metadata"),
])
def test_addresses_inside_any_network_are_refused(address: str, reason: str) -> None:
    found = refused_address(ipaddress.ip_address(address), OutboundPolicy())
    assert found is not None and reason in found
    assert refused_address(ipaddress.ip_address("93.184.216.34"), OutboundPolicy()) is None

"""A local HTTP server speaking the parts of the WordPress REST API a blog connection uses:
`GET /wp-json/wp/v2/users/me` and `GET /wp-json/wp/v2/categories` (`per_page`, `page`,
`X-WP-Total`, `X-WP-TotalPages`), with Basic auth by Application Password and WordPress's
401 shapes (`rest_not_logged_in` without credentials, `incorrect_password` for a wrong one).

    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password="abcd efgh ijkl mnop", can_publish=True)
        wp.categories = [{"id": 1, "name": "News", ...}, ...]
"""

import base64
import contextlib
import dataclasses
import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclasses.dataclass
class FakeUser:
    password: str
    can_publish: bool = True
    name: str = ""


@dataclasses.dataclass
class FakeWordPress:
    url: str = ""
    users: dict[str, FakeUser] = dataclasses.field(default_factory=dict)
    categories: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    requests: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """(path with query, Authorization header) of every request."""


def _handler(wp: FakeWordPress) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            auth = self.headers.get("Authorization", "")
            wp.requests.append((self.path, auth))
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            user = self._user(auth)
            if isinstance(user[1], str):
                self._json(401, {"code": user[0], "message": user[1], "data": {"status": 401}})
                return
            if parts.path == "/wp-json/wp/v2/users/me":
                self._me(user, query)
            elif parts.path == "/wp-json/wp/v2/categories":
                self._categories(query)
            else:
                self._json(404, {"code": "rest_no_route", "message": "No route was found",
                                 "data": {"status": 404}})

        def _user(self, auth: str) -> tuple[str, FakeUser | str]:
            if not auth.startswith("Basic "):
                return ("rest_not_logged_in", "You are not currently logged in.")
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            found = wp.users.get(name)
            if found is None:
                return ("invalid_username", "Unknown username.")
            if "".join(found.password.split()) != "".join(password.split()):
                return ("incorrect_password", "The provided password is an invalid"
                        " application password.")
            return (name, found)

        def _me(self, user: tuple[str, FakeUser | str], query: dict[str, str]) -> None:
            name, found = user
            assert isinstance(found, FakeUser)
            body: dict[str, Any] = {"id": 7, "name": found.name or name, "slug": name}
            if query.get("context") == "edit":
                body["capabilities"] = {"read": True, "publish_posts": found.can_publish}
            self._json(200, body)

        def _categories(self, query: dict[str, str]) -> None:
            per_page = int(query.get("per_page", "10"))
            page = int(query.get("page", "1"))
            if not 1 <= per_page <= 100:
                self._json(400, {"code": "rest_invalid_param", "message": "per_page"})
                return
            total = len(wp.categories)
            pages = max(1, math.ceil(total / per_page))
            chunk = wp.categories[(page - 1) * per_page:page * per_page]
            self._json(200, chunk, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass
    return Handler


@contextlib.contextmanager
def running_fake_wordpress() -> Iterator[FakeWordPress]:
    wp = FakeWordPress()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(wp))
    wp.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield wp
    finally:
        server.shutdown()
        server.server_close()

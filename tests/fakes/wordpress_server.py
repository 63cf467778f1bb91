"""A local HTTP server speaking the parts of the WordPress REST API copydesk uses, with Basic
auth by Application Password and WordPress's error shape `{code, message, data: {status}}`:

* `GET /wp-json/wp/v2/users/me` (`context=edit` adds `capabilities`);
* `GET /wp-json/wp/v2/categories` (`per_page`, `page`, `X-WP-Total`, `X-WP-TotalPages`);
* `POST /wp-json/wp/v2/posts` (create, 201), `POST /wp-json/wp/v2/posts/<id>` (update),
  `GET /wp-json/wp/v2/posts/<id>`, `GET /wp-json/wp/v2/posts` with `slug`, `search`,
  `status` (`any` and anything but `publish` need a logged-in user, as `context=edit` does);
  slugs are made unique as WordPress does (`-2`, `-3`); only registered meta keys
  (`registered_meta`) are kept and shown, as WordPress shows only meta registered for REST;
* `POST /wp-json/wp/v2/media`: the raw file as body, `Content-Disposition: attachment;
  filename=…` (201 with `id`, `source_url`).

Fault knobs: `unavailable` / `unavailable_next` (answer 503: always / the next n calls),
`go_down()` / `come_back()` (the port refuses connections), `revoked` (every credential
answers 401), `latency_seconds` (per call),
`drop_answer_after_create` (create the post, then close the connection without an answer —
a client that crashed after WordPress's answer). `calls` logs every request.

    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password="abcd efgh ijkl mnop", can_publish=True)
"""

import base64
import contextlib
import dataclasses
import json
import math
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

POST_STATUSES = ("publish", "future", "draft", "pending", "private")
_POST = re.compile(r"^/wp-json/wp/v2/posts/(\d+)$")
_FILENAME = re.compile(r'filename="?([^";]+)"?')


@dataclasses.dataclass
class FakeUser:
    password: str
    can_publish: bool = True
    name: str = ""


@dataclasses.dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    """The JSON body, or the byte count of a media upload."""
    at: float
    """`time.time()` when the request arrived."""


@dataclasses.dataclass
class FakeWordPress:
    url: str = ""
    users: dict[str, FakeUser] = dataclasses.field(default_factory=dict)
    categories: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    posts: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    media: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    registered_meta: set[str] = dataclasses.field(default_factory=set)
    requests: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """(path with query, Authorization header) of every request."""
    calls: list[Call] = dataclasses.field(default_factory=list)
    unavailable: bool = False
    unavailable_next: int = 0
    """Answer this many more calls 503, then serve again."""
    revoked: bool = False
    latency_seconds: float = 0.0
    drop_answer_after_create: int = 0
    """Create this many posts without answering."""
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    _next_id: int = 100
    _server: ThreadingHTTPServer | None = None

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def post_calls(self, method: str | None = None) -> list[Call]:
        """Requests to `/wp-json/wp/v2/posts…` (of `method`, or any)."""
        return [c for c in self.calls if method in (None, c.method)
                and c.path.startswith("/wp-json/wp/v2/posts")]

    def go_down(self) -> None:
        """Stop listening: connections to the port are refused until `come_back()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def come_back(self) -> None:
        port = int(self.url.rsplit(":", 1)[1])
        self._serve(ThreadingHTTPServer(("127.0.0.1", port), _handler(self)))

    def _serve(self, server: ThreadingHTTPServer) -> None:
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"code": code, "message": message, "data": {"status": status}}


def _handler(wp: FakeWordPress) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):  # HTTP/1.0: one request per connection
        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def _answer(self, method: str) -> None:
            auth = self.headers.get("Authorization", "")
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with wp.lock:
                wp.requests.append((self.path, auth))
                wp.calls.append(Call(method, parts.path, query, _body(parts.path, raw),
                                     time.time()))
                wp.in_flight += 1
                wp.max_in_flight = max(wp.max_in_flight, wp.in_flight)
            try:
                if wp.latency_seconds:
                    time.sleep(wp.latency_seconds)
                answer = self._route(method, parts.path, query, auth, raw)
            finally:
                with wp.lock:
                    wp.in_flight -= 1
            if answer is None:  # the post is made, the answer is lost
                self.close_connection = True
                self.connection.close()
                return
            self._json(*answer)

        def _route(self, method: str, path: str, query: dict[str, str], auth: str,
                   raw: bytes) -> tuple[Any, ...] | None:
            with wp.lock:
                down = wp.unavailable or wp.unavailable_next > 0
                wp.unavailable_next = max(0, wp.unavailable_next - 1)
            if down:
                return _error(503, "service_unavailable", "The site is down for maintenance.")
            user = self._user(auth)
            if isinstance(user[1], str):
                if auth or method == "POST" or path.endswith("/users/me"):
                    return _error(401, user[0], user[1])
                user = ("", "")
            found = user[1] if isinstance(user[1], FakeUser) else None
            if method == "GET" and path == "/wp-json/wp/v2/users/me" and found:
                return 200, self._me(user[0], found, query)
            if method == "GET" and path == "/wp-json/wp/v2/categories":
                return self._categories(query)
            if path == "/wp-json/wp/v2/posts" and method == "GET":
                return self._list(query, found)
            if path == "/wp-json/wp/v2/posts" and method == "POST" and found:
                return self._save(None, raw, found)
            if (match := _POST.match(path)) and found:
                post_id = int(match.group(1))
                if post_id not in wp.posts:
                    return _error(404, "rest_post_invalid_id", "Invalid post ID.")
                if method == "POST":
                    return self._save(post_id, raw, found)
                return 200, _shown(wp, wp.posts[post_id], edit=True)
            if path == "/wp-json/wp/v2/media" and method == "POST" and found:
                return self._upload(raw)
            return _error(404, "rest_no_route", "No route was found matching the URL and"
                          " request method.")

        def _user(self, auth: str) -> tuple[str, FakeUser | str]:
            if not auth.startswith("Basic "):
                return ("rest_not_logged_in", "You are not currently logged in.")
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            found = wp.users.get(name)
            if found is None:
                return ("invalid_username", "Unknown username.")
            if wp.revoked or "".join(found.password.split()) != "".join(password.split()):
                return ("incorrect_password", "The provided password is an invalid"
                        " application password.")
            return (name, found)

        def _me(self, name: str, found: FakeUser, query: dict[str, str]) -> dict[str, Any]:
            body: dict[str, Any] = {"id": 7, "name": found.name or name, "slug": name}
            if query.get("context") == "edit":
                body["capabilities"] = {"read": True, "publish_posts": found.can_publish}
            return body

        def _categories(self, query: dict[str, str]) -> tuple[Any, ...]:
            per_page = int(query.get("per_page", "10"))
            page = int(query.get("page", "1"))
            if not 1 <= per_page <= 100:
                return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
            total = len(wp.categories)
            pages = max(1, math.ceil(total / per_page))
            chunk = wp.categories[(page - 1) * per_page:page * per_page]
            return 200, chunk, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}

        def _list(self, query: dict[str, str], user: FakeUser | None) -> tuple[Any, ...]:
            status = query.get("status", "publish")
            if user is None and (status != "publish" or query.get("context") == "edit"):
                return _error(401, "rest_forbidden_status", "Status is forbidden.")
            with wp.lock:
                rows = [p for p in wp.posts.values()
                        if (status == "any" and p["status"] != "trash") or p["status"] == status]
            if "slug" in query:
                rows = [p for p in rows if p["slug"] in query["slug"].split(",")]
            if "search" in query:
                term = query["search"].lower()
                rows = [p for p in rows if term in p["title"].lower()
                        or term in p["content"].lower()]
            per_page = int(query.get("per_page", "10"))
            edit = query.get("context") == "edit"
            return (200, [_shown(wp, p, edit=edit) for p in rows[:per_page]],
                    {"X-WP-Total": str(len(rows))})

        def _save(self, post_id: int | None, raw: bytes, user: FakeUser) -> tuple[Any, ...] | None:
            try:
                fields = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                return _error(400, "rest_invalid_json", "Invalid JSON body passed.")
            status = fields.get("status", "draft")
            if status not in POST_STATUSES:
                return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
            if status in ("publish", "future", "private") and not user.can_publish:
                return _error(403, "rest_cannot_publish",
                              "Sorry, you are not allowed to publish posts as this user.")
            with wp.lock:
                if post_id is None:
                    post_id = wp.new_id()
                    wp.posts[post_id] = {"id": post_id, "title": "", "content": "",
                                         "excerpt": "", "slug": "", "status": "draft",
                                         "featured_media": 0, "categories": [], "tags": [],
                                         "meta": {}, "date_gmt": time.strftime(
                                             "%Y-%m-%dT%H:%M:%S", time.gmtime())}
                    created = True
                else:
                    created = False
                post = wp.posts[post_id]
                for key in ("title", "content", "excerpt", "status", "featured_media",
                            "categories", "tags", "date_gmt"):
                    if key in fields:
                        post[key] = fields[key]
                meta = fields.get("meta") or {}
                post["meta"].update({k: v for k, v in meta.items() if k in wp.registered_meta})
                wanted = fields.get("slug") or post["slug"] or _slugify(post["title"])
                post["slug"] = _unique_slug(wp, wanted, post_id)
                drop = created and wp.drop_answer_after_create > 0
                if drop:
                    wp.drop_answer_after_create -= 1
                shown = _shown(wp, post, edit=True)
            return None if drop else (201 if created else 200, shown)

        def _upload(self, raw: bytes) -> tuple[Any, ...]:
            disposition = self.headers.get("Content-Disposition", "")
            name = _FILENAME.search(disposition)
            if name is None:
                return _error(400, "rest_upload_no_content_disposition",
                              "No Content-Disposition supplied.")
            if not raw:
                return _error(400, "rest_upload_no_data", "No data supplied.")
            with wp.lock:
                media_id = wp.new_id()
                item = {"id": media_id, "media_type": "image",
                        "mime_type": self.headers.get("Content-Type", ""),
                        "source_url": f"{wp.url}/wp-content/uploads/{name.group(1)}",
                        "size": len(raw), "data": raw}
                wp.media[media_id] = item
            return 201, {k: v for k, v in item.items() if k != "data"}

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


def _body(path: str, raw: bytes) -> Any:
    if path.endswith("/media"):
        return len(raw)
    try:
        return json.loads(raw) if raw else None
    except json.JSONDecodeError:
        return raw.decode(errors="replace")


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "post"


def _unique_slug(wp: FakeWordPress, wanted: str, post_id: int) -> str:
    taken = {p["slug"] for p in wp.posts.values() if p["id"] != post_id}
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def _shown(wp: FakeWordPress, post: dict[str, Any], *, edit: bool) -> dict[str, Any]:
    def text(key: str) -> dict[str, Any]:
        shown: dict[str, Any] = {"rendered": post[key]}
        if edit:
            shown["raw"] = post[key]
        return shown
    link = (f"{wp.url}/{post['slug']}/" if post["status"] == "publish"
            else f"{wp.url}/?p={post['id']}")
    return {"id": post["id"], "date_gmt": post["date_gmt"], "slug": post["slug"],
            "status": post["status"], "type": "post", "link": link,
            "title": text("title"), "content": text("content"), "excerpt": text("excerpt"),
            "featured_media": post["featured_media"], "categories": post["categories"],
            "tags": post["tags"], "meta": dict(post["meta"])}


@contextlib.contextmanager
def running_fake_wordpress() -> Iterator[FakeWordPress]:
    wp = FakeWordPress()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(wp))
    wp.url = f"http://127.0.0.1:{server.server_address[1]}"
    wp._serve(server)
    try:
        yield wp
    finally:
        wp.go_down()

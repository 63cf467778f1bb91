"""Steps of the blog publishing flows: a stack whose outbound calls may reach the local fake
WordPress, a connection to it, a post written by the offline writer, its schedule, and
waiting for what the scheduler worker does."""

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.helpers import Tenant
from tests.fakes.wordpress_server import FakeUser, FakeWordPress, running_fake_wordpress
from tests.support import Stack, own_stack, wait_until

PASSWORD = "Wp12 Ab34 Cd56 Ef78 Gh90 Ij12"
PRODUCTS = [
    {"external_id": "LAMP-1", "sku": "LAMP-1", "name": "Brass desk lamp", "price": "89.00",
     "description": "A brass lamp with a linen shade."},
    {"external_id": "RUG-1", "sku": "RUG-1", "name": "Wool rug", "price": "240.00",
     "description": "Hand-woven wool, two by three metres."},
]
FAST_RETRIES: dict[str, Any] = {"feeds_allow_loopback": True, "blog_retry_seconds": 0.3,
                "blog_retry_attempts": 3, "blog_poll_seconds": 0.2}
"""Settings of a publishing stack: the fake WordPress on loopback, retries in tenths."""


@contextlib.contextmanager
def publishing_stack(admin_url: str, home: Path) -> Iterator[Stack]:
    with own_stack(admin_url, home, **FAST_RETRIES) as stack:
        yield stack


@contextlib.contextmanager
def fake_wordpress() -> Iterator[FakeWordPress]:
    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password=PASSWORD, can_publish=True, name="Eda Editor")
        yield wp


@dataclasses.dataclass(frozen=True)
class Blog:
    project_id: str
    connection_id: str


def connect_blog(stack: Stack, tenant: Tenant, wp: FakeWordPress) -> Blog:
    project_id = new_project(stack, tenant, "Home goods")["id"]
    manual_source(stack, tenant, project_id, PRODUCTS)
    response = call(stack, "POST", "/blog-connections", tenant.headers, {
        "name": "Shop blog", "site_url": wp.url, "username": "editor", "app_password": PASSWORD})
    assert response.status_code == 200, response.text
    return Blog(project_id=project_id, connection_id=response.json()["id"])


def post_path(blog: Blog, post_id: str, tail: str = "") -> str:
    return f"/projects/{blog.project_id}/blog-posts/{post_id}{tail}"


def written_post(stack: Stack, tenant: Tenant, blog: Blog, topic: str) -> dict[str, Any]:
    """A post the offline writer wrote, once it is a draft."""
    response = call(stack, "POST", f"/projects/{blog.project_id}/blog-posts", tenant.headers,
                    {"post_type": "product_roundup", "topic": topic})
    assert response.status_code == 200, response.text
    return wait_post(stack, tenant, blog, response.json()["id"],
                     lambda p: p["status"] != "generating", "the post to be written")


def wait_post(stack: Stack, tenant: Tenant, blog: Blog, post_id: str, check: Any,
              what: str, seconds: float = 60) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def done() -> bool:
        response = call(stack, "GET", post_path(blog, post_id), tenant.headers)
        assert response.status_code == 200, response.text
        found.clear()
        found.update(response.json())
        return bool(check(found))

    wait_until(done, seconds, what)
    return found


def in_seconds(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def schedule(stack: Stack, tenant: Tenant, blog: Blog, post_id: str, at: datetime,
             **body: Any) -> httpx.Response:
    return call(stack, "POST", post_path(blog, post_id, "/schedule"), tenant.headers,
                {"scheduled_at": at.isoformat().replace("+00:00", "Z"), **body})


def publish(stack: Stack, tenant: Tenant, blog: Blog, post_id: str,
            **body: Any) -> httpx.Response:
    return call(stack, "POST", post_path(blog, post_id, "/publish"), tenant.headers,
                {"connection_id": blog.connection_id, **body})


def created_posts(wp: FakeWordPress) -> list[Any]:
    """The requests that made a new WordPress post."""
    return [c for c in wp.calls if c.method == "POST" and c.path == "/wp-json/wp/v2/posts"]

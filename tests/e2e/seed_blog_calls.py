"""The seed-001 blog connection, template and post operations, called as a client of the seed
would (see `seed_calls`), against a local fake WordPress."""

import json
import time
from datetime import UTC, datetime, timedelta

from tests.e2e.helpers import Tenant
from tests.e2e.seed_store_calls import Client
from tests.fakes.stock_photo_server import FakeStockPhotos, photo_jpeg
from tests.fakes.wordpress_server import FakeUser, running_fake_wordpress

CONNECTIONS = "/api/v1/blog-connections"
CONNECTION = CONNECTIONS + "/{connection_id}"
TEMPLATES = "/api/v1/blog-templates"
PASSWORD = "Ab12 Cd34 Ef56 Gh78 Ij90 Kl12"


def blog_connections_and_templates(client: Client, admin: Tenant) -> None:
    h = admin.headers
    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password=PASSWORD, can_publish=True, name="Seed Editor")
        wp.categories = [{"id": 1, "name": "News", "slug": "news", "count": 3, "parent": 0}]
        created = client.ok("POST", CONNECTIONS, h, {
            "name": "Seed blog", "site_url": wp.url, "username": "editor",
            "app_password": PASSWORD})
        c = {"connection_id": created["id"]}
        client.ok("GET", CONNECTIONS, h)
        client.ok("GET", CONNECTION, h, ids=c)
        client.ok("PATCH", CONNECTION, h, {"name": "Seed blog renamed"}, ids=c)
        client.ok("POST", CONNECTION + "/test", h, ids=c)
        client.ok("GET", CONNECTION + "/categories", h, ids=c)
    template = client.ok("POST", TEMPLATES, h, {"name": "How-to", "tone": "friendly"})
    t = {"template_id": template["id"]}
    client.ok("GET", TEMPLATES, h)
    client.ok("GET", TEMPLATES + "/{template_id}", h, ids=t)
    client.ok("PATCH", TEMPLATES + "/{template_id}", h, {"description": "Steps"}, ids=t)


POSTS = "/api/v1/projects/{project_id}/blog-posts"
POST = POSTS + "/{post_id}"
BLOG_PRODUCTS = [{"sku": f"SEED-BLOG-{n}", "name": f"Seed trail shoe {n}", "price": "90.00",
                  "description": "A light trail shoe with a grippy sole."} for n in range(3)]


def new_blog_post(client: Client, admin: Tenant) -> dict[str, str]:
    """A project with three products and a post written from them by the offline writer (its
    job finished): the ids `{"project_id", "post_id"}` the post routes take."""
    h = admin.headers
    project = client.ok("POST", "/api/v1/projects", h,
                        data={"name": "Seed blog shop", "platform": "woocommerce"})["id"]
    p = {"project_id": project}
    client.ok("POST", "/api/v1/projects/{project_id}/sources/manual", h,
              data={"name": "Typed in", "items": json.dumps(BLOG_PRODUCTS)}, ids=p)
    items = client.ok("GET", "/api/v1/projects/{project_id}/items", h, ids=p)
    created = client.ok("POST", POSTS, h, {
        "post_type": "buying_guide", "topic": "trail shoes",
        "source_item_ids": [item["id"] for item in items], "wp_category_ids": [1],
        "ai_settings": {"length": "short"}}, ids=p)
    ids = {"project_id": project, "post_id": created["id"]}
    _wait_until_written(client, h, ids)
    return ids


def _wait_until_written(client: Client, headers: dict[str, str], ids: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if client.ok("GET", POST, headers, ids=ids)["status"] != "generating":
            return
        time.sleep(0.2)
    raise AssertionError("the blog post was not written within 60 s")


def blog_posts(client: Client, admin: Tenant) -> None:
    """The post routes this context serves (publishing and images have their own calls)."""
    h = admin.headers
    ids = new_blog_post(client, admin)
    client.ok("GET", POSTS, h, ids={"project_id": ids["project_id"]})
    client.ok("GET", POSTS, h, params={"status": "draft"}, ids={"project_id": ids["project_id"]})
    client.ok("PATCH", POST, h, {"title": "Trail shoes, chosen well", "status": "review"},
              ids=ids)
    client.ok("GET", POST + "/seo-score", h, params={"focus_keyword": "trail shoes"}, ids=ids)
    client.ok("GET", POSTS + "/analytics", h, ids={"project_id": ids["project_id"]})
    client.ok("POST", POST + "/regenerate", h, ids=ids)
    _wait_until_written(client, h, ids)
    other = new_blog_post(client, admin)
    client.ok("DELETE", POST, h, ids=other)


STOCK_KEYS = "/api/v1/stock-photo-keys"
STOCK_KEY = STOCK_KEYS + "/{key_id}"


def stock_photos(client: Client, admin: Tenant) -> None:
    """Stock-photo keys and the search, against the session's fake Unsplash and Pexels
    (which take the keys named on `FakeStockPhotos`)."""
    h = admin.headers
    unsplash = client.ok("POST", STOCK_KEYS, h, {
        "provider": "unsplash", "api_key": FakeStockPhotos.SEED_UNSPLASH_KEY, "is_active": True})
    client.ok("POST", STOCK_KEYS, h, {"provider": "pexels",
                                      "api_key": FakeStockPhotos.SEED_PEXELS_KEY})
    k = {"key_id": unsplash["id"]}
    client.ok("GET", STOCK_KEYS, h)
    client.ok("PATCH", STOCK_KEY, h, {"is_active": True}, ids=k)
    client.ok("GET", "/api/v1/stock-photos/search", h,
              params={"q": "linen shirt", "per_page": 4, "orientation": "landscape"})
    spare = client.ok("POST", STOCK_KEYS, h, {"provider": "pexels", "api_key": "spare-key",
                                              "is_active": False})
    client.ok("DELETE", STOCK_KEY, h, ids={"key_id": spare["id"]})


def post_images(client: Client, admin: Tenant) -> None:
    """A post's images: from a stock photo the search found (the session's fake serves it),
    an upload, an offline AI card (the session has no OpenAI key), listed, one deleted."""
    h = admin.headers
    ids = new_blog_post(client, admin)
    images = POST + "/images"
    photo = client.ok("GET", "/api/v1/stock-photos/search", h,
                      params={"q": "trail shoes", "per_page": 2, "provider": "unsplash"})
    found = photo["photos"][0]
    client.ok("POST", images + "/from-stock", h, {
        "photo_url": found["src"]["medium"], "alt_text": found["alt"],
        "photographer": found["photographer"], "original_url": found["url"]}, ids=ids)
    uploaded = client.ok("POST", images + "/upload", h, params={"alt_text": "A trail shoe"},
                         files={"file": ("shoe.jpg", photo_jpeg(), "image/jpeg")}, ids=ids)
    client.ok("POST", images + "/ai-generate", h, {"prompt": "trail shoes on a rock",
                                                   "size": "1024x1024"}, ids=ids)
    client.ok("GET", images, h, ids=ids)
    client.ok("DELETE", images + "/{image_id}", h, ids={**ids, "image_id": uploaded["id"]})


def blog_publishing(client: Client, admin: Tenant) -> None:
    """Publish, unpublish, schedule and unschedule a post the offline writer wrote."""
    h = admin.headers
    ids = new_blog_post(client, admin)
    with running_fake_wordpress() as wp:
        wp.users["editor"] = FakeUser(password=PASSWORD, can_publish=True, name="Seed Editor")
        connection = client.ok("POST", CONNECTIONS, h, {
            "name": "Seed publishing blog", "site_url": wp.url, "username": "editor",
            "app_password": PASSWORD})
        client.ok("POST", POST + "/publish", h,
                  {"connection_id": connection["id"], "wp_status": "publish"}, ids=ids)
        client.ok("POST", POST + "/unpublish", h, ids=ids)
        later = datetime.now(UTC) + timedelta(hours=1)
        client.ok("POST", POST + "/schedule", h,
                  {"scheduled_at": later.isoformat().replace("+00:00", "Z")}, ids=ids)
        client.ok("POST", POST + "/unschedule", h, ids=ids)

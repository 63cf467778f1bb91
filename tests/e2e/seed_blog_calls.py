"""The seed-001 blog connection and template operations, called as a client of the seed
would (see `seed_calls`), against a local fake WordPress."""

from tests.e2e.helpers import Tenant
from tests.e2e.seed_store_calls import Client
from tests.fakes.stock_photo_server import FakeStockPhotos
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

"""The seed-001 blog connection and template operations, called as a client of the seed
would (see `seed_calls`), against a local fake WordPress."""

from tests.e2e.helpers import Tenant
from tests.e2e.seed_store_calls import Client
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

"""Every seed-001 operation copydesk serves, called as a client of the seed would, with real
data on fresh tenants. Each answer is kept under the seed's (method, path) so that
`test_seed_conformance` can hold it against the seed's example."""

import json
import re
import time
from collections import defaultdict
from typing import Any

import httpx

from tests.e2e.file_source_steps import fixture
from tests.e2e.helpers import PASSWORD, Tenant, new_tenant, unique_email
from tests.e2e.mailbox import wait_for_mail
from tests.e2e.seed_blog_calls import (
    blog_connections_and_templates,
    blog_posts,
    blog_publishing,
    post_images,
    stock_photos,
)
from tests.e2e.seed_store_calls import store_connections
from tests.e2e.two_factor_steps import Authenticator
from tests.support import Stack, wait_until

Key = tuple[str, str]
PRODUCTS = [{"sku": f"SEED-{n}", "name": f"Seed linen shirt {n}", "price": "30.00",
             "description": "A shirt of washed linen.", "colour": "sand"} for n in range(3)]
_LINK = re.compile(r"accept-invitation\?token=([A-Za-z0-9_-]+)")


class SeedClient:
    """Calls `/api/v1/…` by the seed's path template and keeps every answer under it."""

    def __init__(self, stack: Stack) -> None:
        self.base_url = stack.base_url
        self.answers: dict[Key, list[httpx.Response]] = defaultdict(list)

    def call(self, method: str, template: str, headers: dict[str, str] | None = None,
             body: object = None, **kwargs: Any) -> httpx.Response:
        ids = kwargs.pop("ids", {})
        if body is not None:
            kwargs["json"] = body
        response = httpx.request(method, self.base_url + template.format(**ids),
                                 headers=headers or {}, timeout=120, **kwargs)
        self.answers[(method, template)].append(response)
        return response

    def ok(self, method: str, template: str, headers: dict[str, str] | None = None,
           body: object = None, **kwargs: Any) -> Any:
        """As `call`, for a step the next ones need: its JSON (AssertionError on a 4xx/5xx)."""
        response = self.call(method, template, headers, body, **kwargs)
        assert response.status_code < 300, (method, template, response.text)
        return response.json() if response.content and "json" in response.headers.get(
            "content-type", "") else None


def call_every_operation(stack: Stack) -> dict[Key, list[httpx.Response]]:
    client = SeedClient(stack)
    admin = new_tenant(stack, "Seed Client Shop")
    _identity(stack, client, admin)
    _two_factor(client, admin)
    _enforced_two_factor(stack, client)
    _invitations(stack, client, admin)
    _catalog(client, admin)
    _jobs(client, admin)
    _billing(client, admin)
    store_connections(client, admin)
    blog_connections_and_templates(client, admin)
    blog_posts(client, admin)
    blog_publishing(client, admin)
    stock_photos(client, admin)
    post_images(client, admin)
    return dict(client.answers)


def _sign_in(client: SeedClient, email: str) -> dict[str, str]:
    token = client.ok("POST", "/api/v1/auth/login",
                      body={"email": email, "password": PASSWORD})["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _member(client: SeedClient, admin: Tenant) -> tuple[str, str]:
    email = unique_email("seed")
    made = client.ok("POST", "/api/v1/users", admin.headers,
                     {"email": email, "password": PASSWORD, "first_name": "Sam"})
    return str(made["id"]), email


def _identity(stack: Stack, client: SeedClient, admin: Tenant) -> None:
    headers = _sign_in(client, admin.email)
    client.ok("GET", "/api/v1/users/me", headers)
    client.ok("PATCH", "/api/v1/users/me", headers, {"first_name": "Ada"})
    user_id, _ = _member(client, admin)
    client.ok("GET", "/api/v1/users", headers)
    client.ok("PATCH", "/api/v1/users/{user_id}", headers, {"last_name": "Lovelace"},
              ids={"user_id": user_id})
    client.ok("GET", "/api/v1/organization", headers)
    client.ok("PATCH", "/api/v1/organization", headers, {"name": "Seed Client Shop Ltd"})
    client.ok("POST", "/api/v1/organization/tones", headers, {
        "id": "seed-warm", "name": "Warm", "system_prompt": "Write warmly and plainly."})
    client.ok("DELETE", "/api/v1/organization/tones/{tone_id}", headers,
              ids={"tone_id": "seed-warm"})
    key = client.ok("POST", "/api/v1/api-keys", headers, {"name": "Seed client"})
    client.ok("GET", "/api/v1/api-keys", headers)
    client.ok("PATCH", "/api/v1/api-keys/{key_id}/deactivate", headers,
              ids={"key_id": key["id"]})
    # an organization of its own: its AI key would change which writer generates below
    other = new_tenant(stack, "Seed Keys Shop")
    client.ok("PATCH", "/api/v1/organization/api-keys", other.headers,
              {"openai_api_key": "sk-seed-client-0123456789"})


def _two_factor(client: SeedClient, admin: Tenant) -> None:
    user_id, email = _member(client, admin)
    headers = _sign_in(client, email)
    app = Authenticator(client.ok("POST", "/api/v1/auth/2fa/setup", headers,
                                  {"method": "totp"})["secret"])
    backup = client.ok("POST", "/api/v1/auth/2fa/confirm", headers,
                       {"code": app.code()})["backup_codes"]
    temp = client.ok("POST", "/api/v1/auth/login",
                     body={"email": email, "password": PASSWORD})["temp_token"]
    client.ok("POST", "/api/v1/auth/verify-2fa", body={"temp_token": temp, "code": app.code()})
    client.ok("POST", "/api/v1/auth/2fa/disable", headers, {"code": backup[0]})
    client.ok("POST", "/api/v1/auth/2fa/setup", headers, {"method": "totp"})
    again = Authenticator(client.answers[("POST", "/api/v1/auth/2fa/setup")][-1].json()["secret"])
    client.ok("POST", "/api/v1/auth/2fa/confirm", headers, {"code": again.code()})
    client.ok("POST", "/api/v1/users/{user_id}/2fa/disable", admin.headers,
              ids={"user_id": user_id})


def _enforced_two_factor(stack: Stack, client: SeedClient) -> None:
    strict = new_tenant(stack, "Seed Strict Shop")
    client.ok("PATCH", "/api/v1/organization", strict.headers, {"enforce_2fa": True})
    _, email = _member(client, strict)
    temp = client.ok("POST", "/api/v1/auth/login",
                     body={"email": email, "password": PASSWORD})["temp_token"]
    secret = client.ok("POST", "/api/v1/auth/2fa/setup-with-temp",
                       body={"temp_token": temp, "method": "totp"})["secret"]
    client.ok("POST", "/api/v1/auth/2fa/confirm-with-temp",
              body={"temp_token": temp, "code": Authenticator(secret).code()})


def _invitation_token(stack: Stack, email: str) -> str:
    found = _LINK.search(wait_for_mail(stack, email, kind="invitation").body)
    assert found is not None, "no invitation link in the mail"
    return found.group(1)


def _invitations(stack: Stack, client: SeedClient, admin: Tenant) -> None:
    email = unique_email("invitee")
    invitation = client.ok("POST", "/api/v1/invitations", admin.headers, {"email": email})
    _invitation_token(stack, email)
    client.ok("POST", "/api/v1/invitations/{invitation_id}/resend", admin.headers,
              ids={"invitation_id": invitation["id"]})
    token = _invitation_token(stack, email)
    client.ok("GET", "/api/v1/invitations/validate", params={"token": token})
    client.ok("POST", "/api/v1/invitations/accept", body={
        "token": token, "password": PASSWORD, "first_name": "Grace", "last_name": "Hopper"})
    other = client.ok("POST", "/api/v1/invitations", admin.headers,
                      {"email": unique_email("invitee")})
    client.ok("POST", "/api/v1/invitations/{invitation_id}/revoke", admin.headers,
              ids={"invitation_id": other["id"]})
    client.ok("GET", "/api/v1/invitations", admin.headers)


def _new_project(client: SeedClient, admin: Tenant, name: str) -> tuple[str, list[str]]:
    """A project with the three products of a manual source; its id and its items' ids."""
    project = client.ok("POST", "/api/v1/projects", admin.headers,
                        data={"name": name, "platform": "woocommerce"})["id"]
    client.ok("POST", "/api/v1/projects/{project_id}/sources/manual", admin.headers,
              data={"name": "Typed in", "items": json.dumps(PRODUCTS)},
              ids={"project_id": project})
    items = client.ok("GET", "/api/v1/projects/{project_id}/items", admin.headers,
                      ids={"project_id": project})
    return project, [item["id"] for item in items]


def _catalog(client: SeedClient, admin: Tenant) -> None:
    h, project_path = admin.headers, "/api/v1/projects/{project_id}"
    project, items = _new_project(client, admin, "Seed linen")
    p = {"project_id": project}
    client.ok("GET", "/api/v1/projects", h)
    client.ok("GET", project_path, h, ids=p)
    client.ok("PATCH", project_path, h, {"name": "Seed linen shop"}, ids=p)
    client.ok("POST", project_path + "/generate", h, {"item_ids": items[:2]}, ids=p)
    client.ok("POST", project_path + "/generate/stream", h, {}, ids=p)
    client.ok("POST", project_path + "/regenerate", h, {"item_ids": items[:1]}, ids=p)
    client.ok("POST", project_path + "/regenerate/stream", h, {"item_ids": items[:1]}, ids=p)
    client.ok("PATCH", project_path + "/items/{item_id}", h, {"status": "rejected"},
              ids={**p, "item_id": items[2]})
    client.ok("POST", project_path + "/regenerate-rejected", h, {}, ids=p)
    client.ok("PATCH", project_path + "/items/batch", h,
              {"item_ids": items[1:], "status": "rejected"}, ids=p)
    client.ok("POST", project_path + "/regenerate-rejected/stream", h, {}, ids=p)
    client.ok("POST", project_path + "/items/{item_id}/regenerate", h, {},
              ids={**p, "item_id": items[0]})
    client.ok("PATCH", project_path + "/items/batch", h,
              {"item_ids": items, "status": "approved"}, ids=p)
    client.ok("POST", project_path + "/items/exclude", h, {"item_ids": items[2:]}, ids=p)
    client.ok("POST", project_path + "/items/restore", h, {"item_ids": items[2:]}, ids=p)
    client.ok("GET", project_path + "/export", h, ids=p)
    _sources(client, admin, project)
    client.ok("GET", "/api/v1/usage", h)
    client.ok("GET", "/api/v1/usage/summary", h)
    client.ok("DELETE", project_path, h, ids=p)
    client.ok("POST", project_path + "/restore", h, ids=p)
    client.ok("POST", project_path + "/truncate", h, ids=p)


def _sources(client: SeedClient, admin: Tenant, project: str) -> None:
    h, sources = admin.headers, "/api/v1/projects/{project_id}/sources"
    p = {"project_id": project}
    name = "woocommerce-products-export.csv"
    client.ok("POST", sources + "/detect-columns", h, files={"file": (name, fixture(name))},
              ids=p)
    file_source = client.ok("POST", sources + "/file", h, files={"file": (name, fixture(name))},
                            ids=p)
    client.ok("GET", sources, h, ids=p)
    for source in client.ok("GET", sources, h, ids=p)["sources"]:
        client.ok("GET", sources + "/{source_id}/export", h, ids={**p, "source_id": source["id"]})
    client.ok("DELETE", sources + "/{source_id}", h, ids={**p, "source_id": file_source["id"]})


def _jobs(client: SeedClient, admin: Tenant) -> None:
    h = admin.headers
    project, items = _new_project(client, admin, "Seed jobs")
    p = {"project_id": project}
    created = client.ok("POST", "/api/v1/projects/{project_id}/jobs", h,
                        {"job_type": "generation", "payload": {"item_ids": items[:1]}}, ids=p)
    job = {"job_id": created["job_id"]}

    def ended() -> bool:
        status = client.call("GET", "/api/v1/jobs/{job_id}", h, ids=job).json()["status"]
        return status in ("completed", "failed", "cancelled")

    wait_until(ended, 60, "the generation job to end")
    slow = client.ok("POST", "/api/v1/projects/{project_id}/jobs", h, {
        "job_type": "test.sleep", "payload": {"units": 40, "latency": 0.5}}, ids=p)
    time.sleep(1.0)
    client.ok("POST", "/api/v1/jobs/{job_id}/cancel", h, ids={"job_id": slow["job_id"]})
    client.ok("GET", "/api/v1/projects/{project_id}/jobs", h, ids=p)


def _billing(client: SeedClient, admin: Tenant) -> None:
    h = admin.headers
    client.ok("POST", "/api/v1/billing/topup", h, {"amount": 1000, "description": "seed"})
    client.ok("POST", "/api/v1/billing/adjustment", h,
              {"amount": 5, "balance_type": "topup", "description": "seed"})
    client.ok("PATCH", "/api/v1/billing/subscription", h, {"tier": "starter"})
    client.ok("PATCH", "/api/v1/billing/settings", h, {"overage_enabled": True})
    client.ok("POST", "/api/v1/billing/reset-cycle", h)
    client.ok("GET", "/api/v1/billing/balance", h)
    client.ok("GET", "/api/v1/billing/transactions", h)
    client.ok("GET", "/api/v1/billing/usage-summary", h)
    client.ok("GET", "/api/v1/billing/model-tiers", h)

"""Users and the organization over real HTTP: profiles, roles, deactivation, secrets."""

from uuid import uuid4

import httpx
import psycopg
import pytest

from tests.e2e.helpers import PASSWORD, Tenant, login, new_tenant, unique_email
from tests.support import Stack

ORG_FIELDS = {"id", "name", "slug", "settings", "address", "phone_number", "tax_id",
              "billing_email", "byok_enabled", "has_anthropic_key", "has_deepseek_key",
              "has_google_key", "enforce_2fa", "created_at"}
USER_FIELDS = {"id", "email", "first_name", "last_name", "phone_number", "role", "is_active",
               "is_super_admin", "two_factor_enabled", "two_factor_method", "created_at",
               "last_login_at", "organization"}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Users Shop")


def call(stack: Stack, method: str, path: str, headers: dict[str, str],
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


def create_member(stack: Stack, tenant: Tenant, role: str = "member",
                  **fields: object) -> tuple[dict[str, object], dict[str, str]]:
    """A user made through the API by the tenant's admin; its JSON and its auth header."""
    email = unique_email(role)
    response = call(stack, "POST", "/users", tenant.headers,
                    {"email": email, "password": PASSWORD, "role": role, **fields})
    assert response.status_code == 200, response.text
    return response.json(), login(stack.base_url, email)


def test_users_me_has_the_seed_shape(stack: Stack, tenant: Tenant) -> None:
    response = call(stack, "GET", "/users/me", tenant.headers)
    assert response.status_code == 200, response.text
    user = response.json()
    assert set(user) == USER_FIELDS
    assert set(user["organization"]) == ORG_FIELDS
    assert user["email"] == tenant.email and user["role"] == "admin" and user["is_active"]
    assert user["two_factor_enabled"] is False and user["two_factor_method"] is None
    assert user["is_super_admin"] is False
    org = user["organization"]
    assert org["id"] == str(tenant.org_id) and org["name"] == "Users Shop"
    assert org["byok_enabled"] is False and org["has_anthropic_key"] is False
    assert org["settings"] == {} and org["enforce_2fa"] is False


def test_an_admin_creates_a_member_who_may_not_use_admin_routes(
    stack: Stack, tenant: Tenant,
) -> None:
    member, member_headers = create_member(stack, tenant, first_name="Ada", last_name="L")
    assert set(member) == USER_FIELDS
    assert member["role"] == "member" and member["first_name"] == "Ada"
    me = call(stack, "GET", "/users/me", member_headers).json()
    assert me["id"] == member["id"]
    user_id = member["id"]
    forbidden = [
        ("GET", "/users", None),
        ("POST", "/users", {"email": unique_email(), "password": PASSWORD}),
        ("GET", f"/users/{user_id}", None),
        ("PATCH", f"/users/{user_id}", {"first_name": "x"}),
        ("DELETE", f"/users/{user_id}", None),
        ("POST", f"/users/{user_id}/deactivate", None),
        ("PATCH", "/organization", {"name": "Mine now"}),
        ("GET", "/api-keys", None),
        ("POST", "/api-keys", {"name": "sneaky"}),
    ]
    for method, path, body in forbidden:
        response = call(stack, method, path, member_headers, body)
        assert response.status_code == 403, (method, path, response.text)
    assert call(stack, "GET", "/organization", member_headers).status_code == 200
    listed = call(stack, "GET", "/users", tenant.headers).json()
    assert user_id in {u["id"] for u in listed}


def test_a_member_edits_their_profile_but_not_their_role(stack: Stack, tenant: Tenant) -> None:
    _, headers = create_member(stack, tenant)
    changed = call(stack, "PATCH", "/users/me", headers,
                   {"first_name": "Grace", "phone_number": "+1 555 0100"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["first_name"] == "Grace"
    assert changed.json()["phone_number"] == "+1 555 0100"
    assert call(stack, "PATCH", "/users/me", headers, {"role": "admin"}).status_code == 403
    assert call(stack, "PATCH", "/users/me", headers, {"is_active": False}).status_code == 403
    same_role = call(stack, "PATCH", "/users/me", headers, {"role": "member", "last_name": "H"})
    assert same_role.status_code == 200 and same_role.json()["last_name"] == "H"


def test_a_member_changes_their_password_and_email(stack: Stack, tenant: Tenant) -> None:
    _, headers = create_member(stack, tenant)
    new_email, new_password = unique_email("renamed"), "a brand new passphrase"
    too_short = call(stack, "PATCH", "/users/me", headers, {"password": "short"})
    assert too_short.status_code == 422 and "password" in too_short.json()["detail"]
    changed = call(stack, "PATCH", "/users/me", headers,
                   {"email": new_email.upper(), "password": new_password})
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == new_email
    login(stack.base_url, new_email, new_password)
    old = httpx.post(f"{stack.base_url}/api/v1/auth/login",
                     json={"email": new_email, "password": PASSWORD}, timeout=30)
    assert old.status_code == 401


def test_creating_a_user_checks_password_email_and_role(stack: Stack, tenant: Tenant) -> None:
    weak = call(stack, "POST", "/users", tenant.headers,
                {"email": unique_email(), "password": "short"})
    assert weak.status_code == 422 and "password" in weak.json()["detail"]
    bad_email = call(stack, "POST", "/users", tenant.headers,
                     {"email": "not-an-email", "password": PASSWORD})
    assert bad_email.status_code == 422 and "email" in bad_email.json()["detail"]
    bad_role = call(stack, "POST", "/users", tenant.headers,
                    {"email": unique_email(), "password": PASSWORD, "role": "owner"})
    assert bad_role.status_code == 422
    missing = call(stack, "POST", "/users", tenant.headers, {"email": unique_email()})
    assert missing.status_code == 400 and "password" in missing.json()["detail"]


def test_an_email_used_in_another_organization_is_409(stack: Stack, tenant: Tenant) -> None:
    other = new_tenant(stack, "Other Shop")
    taken = call(stack, "POST", "/users", other.headers,
                 {"email": tenant.email.upper(), "password": PASSWORD})
    assert taken.status_code == 409, taken.text
    mine = call(stack, "GET", "/users/me", other.headers).json()
    renamed = call(stack, "PATCH", f"/users/{mine['id']}", other.headers, {"email": tenant.email})
    assert renamed.status_code == 409


def test_a_deactivated_users_token_stops_working_at_once(stack: Stack, tenant: Tenant) -> None:
    member, headers = create_member(stack, tenant)
    session = httpx.post(f"{stack.base_url}/api/v1/auth/login",
                         json={"email": member["email"], "password": PASSWORD}, timeout=30)
    refresh_token = session.json()["refresh_token"]
    deleted = call(stack, "DELETE", f"/users/{member['id']}", tenant.headers)
    assert deleted.status_code == 204, deleted.text
    assert call(stack, "GET", "/users/me", headers).status_code == 401
    relogin = httpx.post(f"{stack.base_url}/api/v1/auth/login",
                         json={"email": member["email"], "password": PASSWORD}, timeout=30)
    assert relogin.status_code == 401
    refreshed = httpx.post(f"{stack.base_url}/api/v1/auth/refresh",
                           json={"refresh_token": refresh_token}, timeout=30)
    assert refreshed.status_code == 401
    shown = call(stack, "GET", f"/users/{member['id']}", tenant.headers).json()
    assert shown["is_active"] is False


def test_the_deactivate_route_answers_the_user_and_an_admin_may_reactivate(
    stack: Stack, tenant: Tenant,
) -> None:
    member, _ = create_member(stack, tenant)
    gone = call(stack, "POST", f"/users/{member['id']}/deactivate", tenant.headers)
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    back = call(stack, "PATCH", f"/users/{member['id']}", tenant.headers,
                {"is_active": True, "role": "admin"})
    assert back.status_code == 200, back.text
    assert back.json()["is_active"] is True and back.json()["role"] == "admin"
    login(stack.base_url, str(member["email"]))


def test_the_last_admin_may_not_demote_or_deactivate_themself(stack: Stack) -> None:
    tenant = new_tenant(stack, "Lonely Shop")
    me = call(stack, "GET", "/users/me", tenant.headers).json()
    assert call(stack, "PATCH", "/users/me", tenant.headers, {"role": "member"}).status_code == 409
    assert call(stack, "DELETE", f"/users/{me['id']}", tenant.headers).status_code == 409
    assert call(stack, "GET", "/users/me", tenant.headers).json()["role"] == "admin"


def test_unknown_or_malformed_user_ids_are_404_or_400(stack: Stack, tenant: Tenant) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        body = {"first_name": "x"} if method == "PATCH" else None
        assert call(stack, method, f"/users/{uuid4()}", tenant.headers, body).status_code == 404
        malformed = call(stack, method, "/users/12'; DROP TABLE users", tenant.headers, body)
        assert malformed.status_code in (400, 404)
    assert call(stack, "POST", f"/users/{uuid4()}/deactivate", tenant.headers).status_code == 404


def test_an_admin_updates_the_organization(stack: Stack) -> None:
    tenant = new_tenant(stack, "Editable Shop")
    changed = call(stack, "PATCH", "/organization", tenant.headers, {
        "name": "Edited Shop", "settings": {"language": "de"}, "address": "1 Main St",
        "tax_id": "DE123", "billing_email": "Billing@Example.test", "enforce_2fa": True,
    })
    assert changed.status_code == 200, changed.text
    org = changed.json()
    assert set(org) == ORG_FIELDS
    assert org["name"] == "Edited Shop" and org["settings"] == {"language": "de"}
    assert org["billing_email"] == "billing@example.test" and org["enforce_2fa"] is True
    assert call(stack, "GET", "/organization", tenant.headers).json() == org
    cleared = call(stack, "PATCH", "/organization", tenant.headers, {"address": ""}).json()
    assert cleared["address"] is None and cleared["name"] == "Edited Shop"
    assert call(stack, "PATCH", "/organization", tenant.headers, {"name": " "}).status_code == 422
    bad = call(stack, "PATCH", "/organization", tenant.headers, {"enforce_2fa": "yes"})
    assert bad.status_code == 400


def test_no_password_is_ever_written_to_an_event(stack: Stack, tenant: Tenant) -> None:
    secret = "never-in-the-log-" + uuid4().hex
    created = call(stack, "POST", "/users", tenant.headers,
                   {"email": unique_email(), "password": secret})
    assert created.status_code == 200
    changed = call(stack, "PATCH", f"/users/{created.json()['id']}", tenant.headers,
                   {"password": secret + "-2"})
    assert changed.status_code == 200
    with psycopg.connect(stack.settings.database_url) as conn:
        states = [bytes(row[0]) for row in conn.execute("SELECT state FROM events")]
        hashes = [row[0] for row in conn.execute(
            "SELECT secret_hash FROM credentials WHERE kind = 'password'")]
    assert states
    for state in states:
        assert secret.encode() not in state
        assert PASSWORD.encode() not in state
        assert not any(h.encode() in state for h in hashes)

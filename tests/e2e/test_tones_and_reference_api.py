"""Custom tones (admins define them) and the reference lists over real HTTP."""

import pytest

from tests.e2e.catalog_steps import call
from tests.e2e.helpers import Tenant, add_user, new_tenant
from tests.support import Stack

TONE = {"id": "warm-expert", "name": "Warm expert", "description": "Knows, and is kind",
        "system_prompt": "Write like a kind expert."}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Tones Shop")


def test_an_admin_defines_and_deletes_a_custom_tone(stack: Stack, tenant: Tenant) -> None:
    created = call(stack, "POST", "/organization/tones", tenant.headers, TONE)
    assert created.status_code == 200, created.text
    assert created.json() == TONE
    assert call(stack, "GET", "/organization/tones", tenant.headers).json() == [TONE]
    tones = call(stack, "GET", "/tones", tenant.headers).json()
    assert tones[0]["id"] == "professional" and tones[-1] == {
        "id": "warm-expert", "name": "Warm expert", "description": "Knows, and is kind",
        "is_custom": True}
    again = call(stack, "POST", "/organization/tones", tenant.headers, TONE)
    assert again.status_code == 409 and "warm-expert" in again.json()["detail"]
    deleted = call(stack, "DELETE", "/organization/tones/warm-expert", tenant.headers)
    assert deleted.status_code == 200 and deleted.json() == {"id": "warm-expert",
                                                             "deleted": True}
    assert call(stack, "GET", "/organization/tones", tenant.headers).json() == []
    assert call(stack, "DELETE", "/organization/tones/warm-expert",
                tenant.headers).status_code == 404


@pytest.mark.parametrize(("body", "status", "says"), [
    ({**TONE, "id": "professional"}, 409, "built-in"),
    ({**TONE, "id": "Warm Expert"}, 422, "id must be"),
    ({**TONE, "system_prompt": " "}, 422, "system_prompt"),
    ({"id": "x", "name": "X"}, 400, "system_prompt"),
    ({**TONE, "name": 7}, 400, "name"),
])
def test_a_bad_tone_is_refused_naming_the_problem(
    stack: Stack, tenant: Tenant, body: dict[str, object], status: int, says: str,
) -> None:
    response = call(stack, "POST", "/organization/tones", tenant.headers, body)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


def test_members_read_tones_but_only_admins_change_them(stack: Stack, tenant: Tenant) -> None:
    member = add_user(stack, tenant, "member")
    assert call(stack, "POST", "/organization/tones", member,
                {**TONE, "id": "members-tone"}).status_code == 403
    assert call(stack, "GET", "/organization/tones", member).status_code == 200
    call(stack, "POST", "/organization/tones", tenant.headers, {**TONE, "id": "kept"})
    assert call(stack, "DELETE", "/organization/tones/kept", member).status_code == 403


def test_tones_belong_to_one_organization(stack: Stack, tenant: Tenant) -> None:
    call(stack, "POST", "/organization/tones", tenant.headers, {**TONE, "id": "secret-sauce"})
    other = new_tenant(stack, "Other Tones")
    assert "secret-sauce" not in call(stack, "GET", "/organization/tones", other.headers).text
    assert "secret-sauce" not in call(stack, "GET", "/tones", other.headers).text
    assert call(stack, "DELETE", "/organization/tones/secret-sauce",
                other.headers).status_code == 404
    created = call(stack, "POST", "/organization/tones", other.headers,
                   {**TONE, "id": "secret-sauce", "name": "Theirs"})
    assert created.status_code == 200
    mine = {t["id"]: t for t in call(stack, "GET", "/organization/tones", tenant.headers).json()}
    assert mine["secret-sauce"]["name"] == "Warm expert"


def test_the_reference_lists(stack: Stack, tenant: Tenant) -> None:
    platforms = call(stack, "GET", "/platforms", tenant.headers).json()
    assert [p["id"] for p in platforms] == ["woocommerce", "shopify", "magento2"]
    providers = {p["id"]: p for p in call(stack, "GET", "/ai-providers", tenant.headers).json()}
    assert set(providers) == {"template", "anthropic", "openai", "deepseek", "google"}
    assert providers["template"]["models"] == ["template-writer"]
    assert providers["anthropic"]["accepts_organization_key"] is True
    assert providers["template"]["accepts_organization_key"] is False
    languages = call(stack, "GET", "/languages", tenant.headers).json()
    assert {"code": "de", "name": "German", "native_name": "Deutsch"} in languages
    types = call(stack, "GET", "/content-types", tenant.headers).json()
    assert types[0]["id"] == "product_description" and "short" in types[0]["variants"]
    for path in ("/platforms", "/ai-providers", "/languages", "/content-types", "/tones"):
        assert call(stack, "GET", path, {}).status_code == 401

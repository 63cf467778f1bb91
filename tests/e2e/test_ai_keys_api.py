"""The organization's own AI keys (BYOK) over real HTTP: set and removed by an admin, shown
only as "has a key" and a masked hint, never found in an event, a response or in clear at
rest."""

import asyncio
import time

import psycopg
import pytest

from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from tests.e2e.catalog_steps import call
from tests.e2e.helpers import Tenant, add_user, new_tenant
from tests.support import Stack, scalar

ANTHROPIC = "sk-ant-api03-" + "Q" * 30 + "w9Zk"
GOOGLE = "AIzaSy" + "G" * 30 + "x7Yt"


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Keys Owner")


def all_event_states(stack: Stack) -> bytes:
    with psycopg.connect(stack.settings.database_url) as conn:
        return b"\n".join(bytes(r[0]) for r in conn.execute("SELECT state FROM events"))


def test_a_key_is_shown_only_as_present_with_a_masked_hint(stack: Stack, tenant: Tenant) -> None:
    response = call(stack, "PATCH", "/organization/api-keys", tenant.headers,
                    {"anthropic_api_key": ANTHROPIC, "google_api_key": GOOGLE})
    assert response.status_code == 200, response.text
    org = response.json()
    assert (org["byok_enabled"], org["has_anthropic_key"], org["has_google_key"],
            org["has_deepseek_key"]) == (True, True, True, False)
    assert "no-store" in response.headers["cache-control"]
    shown = call(stack, "GET", "/organization", tenant.headers).json()
    assert shown["has_anthropic_key"] is True
    me = call(stack, "GET", "/users/me", tenant.headers).json()
    assert me["organization"]["has_google_key"] is True
    hints = {k["provider"]: k for k in call(stack, "GET", "/organization/api-keys",
                                            tenant.headers).json()}
    assert hints["anthropic"] == {"provider": "anthropic", "has_key": True, "hint": "…w9Zk"}
    assert hints["deepseek"] == {"provider": "deepseek", "has_key": False, "hint": None}
    providers = {p["id"]: p for p in call(stack, "GET", "/ai-providers", tenant.headers).json()}
    assert providers["google"]["has_organization_key"] is True

    for text in (response.text, call(stack, "GET", "/organization/api-keys",
                                      tenant.headers).text):
        assert ANTHROPIC not in text and ANTHROPIC[:-4] not in text and GOOGLE not in text


def test_a_key_never_reaches_the_event_log_and_is_sealed_at_rest(
    stack: Stack, tenant: Tenant,
) -> None:
    call(stack, "PATCH", "/organization/api-keys", tenant.headers,
         {"anthropic_api_key": ANTHROPIC})
    states = all_event_states(stack)
    assert b"OrganizationAiKeysChanged" in scalar(
        stack.settings, "SELECT string_agg(topic, ',') FROM events").encode()
    time.sleep(0.5)  # let the processes write their lines
    logs = "\n".join(p.read_text(errors="replace")
                     for p in stack.processes.log_dir.glob("*.log"))
    assert "/api/v1/organization/api-keys" in logs
    for secret in (ANTHROPIC, GOOGLE, ANTHROPIC[-12:], GOOGLE[6:]):
        assert secret.encode() not in states
        assert secret not in logs
    sealed = scalar(stack.settings, "SELECT ciphertext FROM secrets WHERE owner_id = %s"
                    " AND purpose = 'llm:anthropic'", tenant.org_id)
    assert ANTHROPIC.encode() not in bytes(sealed)


def test_a_generation_job_reads_the_key_back_in_clear(stack: Stack, tenant: Tenant) -> None:
    call(stack, "PATCH", "/organization/api-keys", tenant.headers,
         {"anthropic_api_key": ANTHROPIC, "deepseek_api_key": ""})

    async def read(box: SecretBox, provider: str) -> str | None:
        async with await psycopg.AsyncConnection.connect(stack.settings.database_url) as conn:
            return await organization_key(conn, box, tenant.org_id, provider)
    box = SecretBox(stack.settings.secret_key)
    assert asyncio.run(read(box, "anthropic")) == ANTHROPIC
    assert asyncio.run(read(box, "deepseek")) is None
    assert asyncio.run(read(SecretBox("another-secret-" + "z" * 40), "anthropic")) is None


@pytest.mark.parametrize("removed", ["", None])
def test_null_or_an_empty_key_removes_it_and_an_absent_one_keeps_it(
    stack: Stack, tenant: Tenant, removed: str | None,
) -> None:
    call(stack, "PATCH", "/organization/api-keys", tenant.headers,
         {"anthropic_api_key": ANTHROPIC, "google_api_key": GOOGLE})
    response = call(stack, "PATCH", "/organization/api-keys", tenant.headers,
                    {"google_api_key": removed})
    assert response.status_code == 200, response.text
    org = response.json()
    assert (org["has_anthropic_key"], org["has_google_key"]) == (True, False)
    assert scalar(stack.settings, "SELECT count(*) FROM secrets WHERE owner_id = %s"
                  " AND purpose = 'llm:google'", tenant.org_id) == 0
    org = call(stack, "PATCH", "/organization/api-keys", tenant.headers,
               {"anthropic_api_key": removed}).json()
    assert org["byok_enabled"] is False


@pytest.mark.parametrize(("body", "status"), [
    ({"anthropic_api_key": "short"}, 422), ({"anthropic_api_key": "has a space in it"}, 422),
    ({"anthropic_api_key": 42}, 400), ({"google_api_key": ["x"]}, 400)])
def test_a_malformed_key_is_refused(
    stack: Stack, tenant: Tenant, body: dict[str, object], status: int,
) -> None:
    response = call(stack, "PATCH", "/organization/api-keys", tenant.headers, body)
    assert response.status_code == status, response.text
    assert "api_key" in response.json()["detail"]


def test_only_an_admin_manages_keys(stack: Stack, tenant: Tenant) -> None:
    member = add_user(stack, tenant, "member")
    assert call(stack, "PATCH", "/organization/api-keys", member,
                {"anthropic_api_key": ANTHROPIC}).status_code == 403
    assert call(stack, "GET", "/organization/api-keys", member).status_code == 403
    other = new_tenant(stack, "Keyless")
    assert call(stack, "GET", "/organization", other.headers).json()["byok_enabled"] is False

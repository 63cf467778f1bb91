"""Health over HTTP: up or degraded for anyone, the details only for an admin."""

import httpx
import pytest

from tests.e2e.helpers import Tenant, add_user, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Health Shop")


def test_the_public_health_says_only_whether_the_service_is_up(stack: Stack) -> None:
    for path in ("/api/health", "/api/v1/health"):
        response = httpx.get(stack.base_url + path, timeout=30)
        assert response.status_code == 200
        assert set(response.json()) == {"status", "version"}
        assert response.json()["status"] == "ok"


def test_an_admin_sees_the_database_nats_and_each_projection(
    stack: Stack, tenant: Tenant,
) -> None:
    response = httpx.get(f"{stack.base_url}/api/v1/health/detail", headers=tenant.headers,
                         timeout=30)
    assert response.status_code == 200, response.text
    detail = response.json()
    assert (detail["status"], detail["database"], detail["nats"]) == ("ok", "ok", "ok")
    assert detail["position"] > 0
    names = [p["name"] for p in detail["projections"]]
    assert "identity" in names and names == sorted(names)
    for projection in detail["projections"]:
        assert set(projection) == {"name", "position", "lag", "parked"}
        assert projection["lag"] == detail["position"] - projection["position"] >= 0


def test_the_details_are_refused_to_strangers_and_members(stack: Stack, tenant: Tenant) -> None:
    url = f"{stack.base_url}/api/v1/health/detail"
    assert httpx.get(url, timeout=30).status_code == 401
    member = httpx.get(url, headers=add_user(stack, tenant, "member"), timeout=30)
    assert member.status_code == 403
    assert member.json()["status"] == 403

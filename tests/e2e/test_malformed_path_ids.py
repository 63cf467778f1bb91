"""A malformed id in a path is the client's mistake in a route that exists: 400 naming the
parameter, for every route and method, signed in or not; an unknown path stays 404."""

from uuid import uuid4

import httpx
import pytest

from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Typo Shop")


@pytest.mark.parametrize(("method", "path", "name"), [
    ("GET", "/api/v1/projects/not-a-uuid", "project_id"),
    ("PATCH", "/api/v1/projects/123", "project_id"),
    ("GET", "/api/v1/projects/123/items", "project_id"),
    ("PATCH", "/api/v1/projects/{p}/items/nope", "item_id"),
    ("DELETE", "/api/v1/projects/{p}/sources/nope", "source_id"),
    ("GET", "/api/v1/jobs/42", "job_id"),
    ("POST", "/api/v1/jobs/42/cancel", "job_id"),
    ("PATCH", "/api/v1/users/zz", "user_id"),
    ("POST", "/api/v1/invitations/not-a-uuid/revoke", "invitation_id"),
    ("PATCH", "/api/v1/api-keys/x/deactivate", "key_id"),
    ("GET", "/api/projects/not-a-uuid", "project_id"),
])
def test_a_malformed_uuid_in_a_path_is_400_naming_the_parameter(
    stack: Stack, tenant: Tenant, method: str, path: str, name: str
) -> None:
    url = stack.base_url + path.format(p=uuid4())
    response = httpx.request(method, url, headers=tenant.headers, timeout=30)
    assert response.status_code == 400, response.text
    assert response.json() == {"detail": f"path parameter '{name}' is not a valid UUID",
                               "status": 400}
    anonymous = httpx.request(method, url, timeout=30)
    assert anonymous.status_code == 400, "the path is refused before anyone is asked who calls"


def test_a_path_no_route_has_stays_404_and_a_wrong_method_405(
    stack: Stack, tenant: Tenant
) -> None:
    unknown = httpx.get(f"{stack.base_url}/api/v1/no-such-thing/{uuid4()}",
                        headers=tenant.headers, timeout=30)
    assert (unknown.status_code, unknown.json()["status"]) == (404, 404)
    wrong_method = httpx.put(f"{stack.base_url}/api/v1/jobs/42", headers=tenant.headers,
                             timeout=30)
    assert wrong_method.status_code == 405, wrong_method.text

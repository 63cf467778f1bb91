"""The whole OpenAPI document against the live server, with schemathesis and all its checks.

The document is the one the app builds from its routes (the live stack serves the same one:
the first test compares them), loaded when the module is collected, as `@schema.parametrize`
needs. Every operation runs as an organization's admin, with a few generated cases: one that
writes as the admin of an organization of its own, so that a destructive case (the admin
changing their own password, turning on enforced 2FA) cannot break the operations after it;
the reads share one.
"""

from pathlib import Path
from typing import Any

import httpx
import hypothesis
import msgspec
import schemathesis
from schemathesis.generation.case import Case

from adapters.settings import Settings
from api.app import create_app
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack

EXAMPLES_PER_OPERATION = 4


def _document() -> dict[str, Any]:
    app = create_app(Settings(home=Path("unused")))  # nothing starts before its lifespan
    document: dict[str, Any] = msgspec.json.decode(
        msgspec.json.encode(app.openapi_schema.to_schema()))  # as JSON, as it is served
    return document


# A request the document allows may still break a rule only the domain checks (an enum value,
# a password's length, a decimal's places, NUL in a key): 400/422 name it, as documented; a new
# organization has no XCT (402). Every other expectation is schemathesis's own.
ACCEPTED_OR_REFUSED_BY_RULE = ["2xx", "3xx", "400", "401", "402", "403", "404", "409", "410",
                               "422", "429", "5xx"]
DOCUMENT = _document()
# A request the document forbids is refused with any documented client error — 413 too: a
# body generated past the size limit is refused before it is read, as documented.
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428"]
schema = schemathesis.openapi.from_dict(DOCUMENT, config=schemathesis.Config.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_OR_REFUSED_BY_RULE},
               "negative_data_rejection": {"expected-statuses": REFUSED}},
}))


READS = frozenset({"GET", "HEAD", "OPTIONS"})
_tenants: dict[str, Tenant] = {}


def admin_for(stack: Stack, case: Case[Any]) -> Tenant:
    """The admin an operation's cases run as (see the module's docstring)."""
    key = "reads" if case.method.upper() in READS else case.operation.label
    if key not in _tenants:
        # a name of its own: an organization name has only so many free slugs
        _tenants[key] = new_tenant(stack, f"Conformance Shop {len(_tenants) + 1}")
    return _tenants[key]


def test_the_live_server_serves_this_document(stack: Stack) -> None:
    served = httpx.get(f"{stack.base_url}/openapi.json", timeout=30)
    assert served.status_code == 200
    assert served.json() == DOCUMENT


@schema.parametrize()
@hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_the_server_answers_as_its_openapi_document_says(case: Case[Any], stack: Stack) -> None:
    case.call_and_validate(base_url=stack.base_url, headers=admin_for(stack, case).headers,
                           timeout=30)

"""copydesk answers every seed-001 operation it serves as the seed shows: the success status,
the top-level shape and every field the seed's example shows, with its JSON type (the rules,
null included, are in `tests.e2e.seed_shapes`). The seed is read from the specification
itself (`../shared/reference/seeds/`), so a change on either side cannot drift unseen.

"Served" is what the app's OpenAPI document lists; the seed's other operations are named
below as not served yet, and a test keeps that list exact. A success the seed shows without
a media type has no body: 204; every other success is 200, as the seed shows (its server
answers 200 unless it says otherwise).
"""

from typing import Any

import httpx
import pytest

from tests.e2e.seed_calls import Key, call_every_operation
from tests.e2e.seed_operations import METHODS, NO_EXAMPLE, SeedOperation, read_operations, seed_file
from tests.e2e.seed_shapes import shape_problems
from tests.support import Stack

SEED = read_operations(seed_file("001"))
_V1 = "/api/v1"
NOT_YET_SERVED: frozenset[Key] = frozenset()


@pytest.fixture(scope="module")
def served(stack: Stack) -> frozenset[Key]:
    """(method, path) of every operation the app's OpenAPI document lists."""
    document = httpx.get(f"{stack.base_url}/openapi.json", timeout=30).json()
    return frozenset((method.upper(), path) for path, item in document["paths"].items()
                     for method in item if method.upper() in METHODS)


@pytest.fixture(scope="module")
def answers(stack: Stack) -> dict[Key, list[httpx.Response]]:
    return call_every_operation(stack)


def expected_status(operation: SeedOperation) -> int:
    return 204 if operation.example is NO_EXAMPLE and not operation.media_type else operation.status


def test_the_seed_is_read_whole() -> None:
    lines = seed_file("001").read_text(encoding="utf-8").splitlines()
    methods = sum(1 for n, line in enumerate(lines[:-1])
                  if line in METHODS and lines[n + 1].startswith("/"))
    assert len(SEED) == methods >= 100
    assert len({op.key for op in SEED}) == len(SEED), "each operation once"
    shown = [op for op in SEED if op.example is not NO_EXAMPLE]
    assert len(shown) >= len(SEED) - 2, "every operation but those without a body has its example"


def test_the_operations_not_served_yet_are_exactly_those_listed(served: frozenset[Key]) -> None:
    not_served = {op.key for op in SEED if op.key not in served}
    assert not_served == NOT_YET_SERVED, (
        f"now served: {sorted(NOT_YET_SERVED - not_served)}; "
        f"no longer served: {sorted(not_served - NOT_YET_SERVED)}")


def test_every_served_operation_of_the_seed_is_called(
    served: frozenset[Key], answers: dict[Key, list[httpx.Response]]
) -> None:
    uncalled = [op.key for op in SEED if op.key in served and not answers.get(op.key)]
    assert uncalled == [], "add a call for each to tests/e2e/seed_calls.py"


def _problems(operation: SeedOperation, response: httpx.Response) -> list[str]:
    status = expected_status(operation)
    if response.status_code != status:
        return [f"status {response.status_code}, the seed's is {status}: {response.text[:300]}"]
    if operation.example is NO_EXAMPLE:
        return [] if not response.content else ["a body where the seed shows none"]
    if operation.example == []:
        return []  # the seed gives the answer no type
    try:
        body: Any = response.json()
    except ValueError:
        return [f"not JSON ({response.headers.get('content-type')}) where the seed shows JSON"]
    return shape_problems(operation.example, body)


@pytest.mark.parametrize("operation", SEED, ids=lambda op: f"{op.method} {op.path}")
def test_each_answer_has_the_seeds_status_and_shape(
    operation: SeedOperation, served: frozenset[Key],
    answers: dict[Key, list[httpx.Response]],
) -> None:
    if operation.key not in served:
        assert operation.key in NOT_YET_SERVED
        return
    responses = answers.get(operation.key)
    assert responses, "served but never called"
    problems = {f"call {n}": found for n, response in enumerate(responses, start=1)
                if (found := _problems(operation, response))}
    assert problems == {}, f"{operation.title}: {problems}"

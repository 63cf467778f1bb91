"""Each rule refused under its own name keeps the HTTP status of its kind (api/errors.py maps
the base classes), so clients see what they saw before the rule had a name."""

import importlib
import inspect

import pytest

from api.errors import STATUS_OF
from domain import errors as base

MODULES = ("domain.catalog.errors", "domain.jobs.errors", "domain.billing.errors",
           "domain.identity.errors")
EXPECTED = {
    "AccountNotOpenError": 404, "AccountAlreadyOpenError": 409, "BalanceBelowZeroError": 422,
    "ItemExcludedError": 409, "NothingToReviewError": 409, "ItemNotApprovedError": 409,
    "NotAReviewStatusError": 422, "ProjectInTrashError": 409, "UnknownToneError": 422,
    "SourceHasNoFileError": 422, "JobAlreadyRunningError": 409, "JobAlreadyEndedError": 409,
    "UserDeactivatedError": 403, "LastAdminError": 409, "EmailTakenError": 409,
    "InvitationPendingError": 409, "InvitationClosedError": 409,
    "OrganizationNameTakenError": 409, "TwoFactorAlreadyEnabledError": 409,
    "TwoFactorNotEnabledError": 409, "TwoFactorEnforcedError": 403,
    "NoEmailCodeExpectedError": 409, "NoTwoFactorSetupError": 409,
    "TwoFactorSetupChangedError": 409,
}


def status_of(error: type[base.DomainError]) -> int:
    return next((code for cls, code in STATUS_OF.items() if issubclass(error, cls)), 400)


def named() -> dict[str, type[base.DomainError]]:
    found: dict[str, type[base.DomainError]] = {}
    for module in map(importlib.import_module, MODULES):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base.DomainError) and cls.__module__ == module.__name__:
                found[name] = cls
    return found


def test_every_named_rule_is_listed_here_with_its_status() -> None:
    assert sorted(named()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_named_rule_answers_the_status_of_its_kind(name: str) -> None:
    assert status_of(named()[name]) == EXPECTED[name]


def test_taken_keys_and_repeated_creates_are_conflicts() -> None:
    assert status_of(base.AlreadyExistsError) == status_of(base.KeyTakenError) == 409

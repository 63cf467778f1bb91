"""The generation pre-flight's checks that need no I/O, and the one affordability rule it
shares with the billing account (the checks on the read model run in tests/e2e)."""

import dataclasses
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from commands.generation.kinds import GENERATE, GenerationKind
from commands.generation.preflight import GenerationRequest, check_generation_request
from commands.jobs.kind import JobKind
from domain.billing.account import BillingAccount, billing_account_id
from domain.billing.events import BillingAccountOpened, SubscriptionAllotted, ToppedUp
from domain.errors import InvalidCommandError, UnavailableError

ORG = UUID(int=10)
KINDS: dict[str, JobKind] = {GENERATE: GenerationKind(GENERATE, ("pending",), fresh=False,
                                                      concurrency=2)}


def request(settings: dict[str, object] | None = None,
            item_ids: list[UUID] | None = None) -> GenerationRequest:
    return GenerationRequest(kind=GENERATE, settings=settings or {"ai_provider": "openai"},
                             item_ids=item_ids)


def test_a_request_gets_its_kind_and_normalised_parameters() -> None:
    item = uuid4()
    checked = check_generation_request(KINDS, request(item_ids=[item, item]))
    assert checked.kind is KINDS[GENERATE]
    assert checked.parameters["item_ids"] == [str(item)]
    assert checked.settings.ai_model == "gpt-4o-mini"


def test_a_kind_this_server_does_not_run_is_unavailable() -> None:
    with pytest.raises(UnavailableError) as refused:
        check_generation_request({}, request())
    assert refused.value.retry_after == 60


@pytest.mark.parametrize("refused", [request(item_ids=[]), request({"ai_provider": "nope"})])
def test_an_empty_item_list_or_bad_settings_are_refused(refused: GenerationRequest) -> None:
    with pytest.raises(InvalidCommandError):
        check_generation_request(KINDS, refused)


def test_the_balance_read_back_pays_by_the_same_rule_as_the_account() -> None:
    account = BillingAccount.rebuild(billing_account_id(ORG), [
        BillingAccountOpened(org_id=ORG, tier="free"),
        SubscriptionAllotted(org_id=ORG, transaction_id=UUID(int=1), amount=Decimal("100"),
                             tier="free"),
        ToppedUp(org_id=ORG, transaction_id=UUID(int=2), amount=Decimal("50"), description="",
                 request_key=None),
    ])
    balance = account.balance()
    for cost in (Decimal("150"), Decimal("150.01")):
        assert balance.can_afford(cost) is account.can_afford(cost) is (cost <= 150)
    assert dataclasses.replace(balance, overage_enabled=True).can_afford(Decimal("1000000"))
    assert balance.quote(1000, "openai", "gpt-4o") == account.quote(1000, "openai", "gpt-4o")

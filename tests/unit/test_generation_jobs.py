"""Recording a generated item through the job engine's outcome path, on in-memory persistence:
texts, charge and outcome together; once per unit; nothing for a cached answer or when the
balance cannot pay; regeneration puts the item back to pending first."""

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from adapters.llm.prompt_cache import PUT_SQL
from commands.billing.accounts import AdjustBalance, OpenBillingAccount, adjust_balance, open_billing_account
from commands.catalog.items import EditItem, edit_item
from commands.generation.kinds import (
    NO_BALANCE,
    Generated,
    GenerationKind,
    check_generation_parameters,
)
from commands.jobs.kind import Unit, UnitResult
from commands.jobs.lifecycle import CreateJob, PlanJob, StartJob, create_job, plan_job, start_job
from domain.billing.account import BillingAccount, billing_account_id
from domain.billing.events import UsageCharged
from domain.catalog.content_item import ContentItem
from domain.catalog.events import ContentGenerated, GenerationFailed, ItemQueuedForRegeneration
from domain.catalog.ids import item_id
from domain.generation.settings import GeneratedTexts, Validation, WriterOutput
from domain.jobs.job import Job
from tests.unit.catalog_world import World, product
from workers.jobs.recorder import Finished, apply_outcomes

GENERATE = GenerationKind("content.generate", ("pending",), fresh=False, concurrency=4)
REGENERATE = GenerationKind("content.regenerate", ("rejected",), fresh=True, concurrency=4)
SETTINGS = {"ai_provider": "anthropic", "ai_model": "claude-haiku-4-5"}


class GenerationWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.when(open_billing_account, OpenBillingAccount(org_id=self.org_id))
        self.source_id = self.new_source(product("SHIRT", name="Linen shirt"))
        self.item_id = item_id(self.source_id, "SHIRT")

    def job(self, kind: GenerationKind) -> UUID:
        job_id = uuid4()
        self.when(create_job, CreateJob(
            org_id=self.org_id, project_id=self.project_id, job_id=job_id, kind=kind.name,
            parameters=check_generation_parameters({"settings": SETTINGS}),
            conflicts=kind.conflicts))
        self.when(start_job, StartJob(job_id=job_id))
        self.when(plan_job, PlanJob(job_id=job_id, total=1))
        return job_id

    def finish(self, kind: GenerationKind, job_id: UUID, *, cached: bool = False,
               score: float = 0.9, keep: bool = False) -> None:
        output = WriterOutput(texts=GeneratedTexts(short_description="Washed linen."),
                              provider="anthropic", model="claude-haiku-4-5", input_tokens=300,
                              output_tokens=120, cached=cached)
        result = UnitResult(detail={"item_id": str(self.item_id)}, output=Generated(
            output=output, validation=Validation(confidence_score=score, reasons=()),
            prompt_key="k-1", keep=keep))
        self.when(apply_outcomes, [Finished(job_id=job_id, unit=Unit(id=str(self.item_id)),
                                            kind=kind, result=result)])

    def cached_keys(self) -> list[object]:
        """The prompt keys written to the prompt cache beside the recorded events."""
        return [write.params[1] for write in self.store.side_writes if write.sql == PUT_SQL]

    def load_item(self) -> ContentItem:
        return self.load(ContentItem, self.item_id)

    def charges(self) -> list[UsageCharged]:
        return [e for e in self.store.load(billing_account_id(self.org_id))
                if isinstance(e, UsageCharged)]

    def outcome(self, job_id: UUID) -> tuple[str, Decimal, str]:
        job = Job.rebuild(job_id, self.store.load(job_id))
        events = [e for e in self.store.load(job_id) if hasattr(e, "unit_id")]
        last = events[-1]
        return type(last).__name__, job.cost, getattr(last, "error", "")


@pytest.fixture
def world() -> GenerationWorld:
    return GenerationWorld()


def test_a_generated_item_is_recorded_charged_and_its_cost_kept_on_the_job(
    world: GenerationWorld
) -> None:
    job_id = world.job(GENERATE)
    world.finish(GENERATE, job_id)
    [charge] = world.charges()
    assert charge.reference_id == f"{job_id}:{world.item_id}"
    assert charge.content_type == "product_description"
    assert (charge.input_tokens, charge.output_tokens) == (300, 120)
    name, cost, _ = world.outcome(job_id)
    assert name == "JobItemSucceeded" and cost == charge.amount > 0
    assert world.load_item().status == "generated"


def test_a_unit_delivered_twice_is_charged_once(world: GenerationWorld) -> None:
    job_id = world.job(GENERATE)
    world.finish(GENERATE, job_id)
    world.finish(GENERATE, job_id)
    assert len(world.charges()) == 1
    generated = [e for e in world.store.load(world.item_id) if isinstance(e, ContentGenerated)]
    assert len(generated) == 1


def test_a_new_answer_is_kept_in_the_prompt_cache_with_its_charge_once(
    world: GenerationWorld
) -> None:
    job_id = world.job(GENERATE)
    world.finish(GENERATE, job_id, keep=True)
    world.finish(GENERATE, job_id, keep=True)
    assert world.cached_keys() == ["k-1"] and len(world.charges()) == 1


def test_a_cached_answer_costs_nothing(world: GenerationWorld) -> None:
    job_id = world.job(GENERATE)
    world.finish(GENERATE, job_id, cached=True)
    assert world.charges() == []
    assert world.outcome(job_id)[:2] == ("JobItemSucceeded", Decimal(0))
    assert world.load_item().status == "generated"


def test_an_item_the_balance_cannot_pay_fails_and_costs_nothing(world: GenerationWorld) -> None:
    account = world.load(BillingAccount, billing_account_id(world.org_id))
    world.when(adjust_balance, AdjustBalance(org_id=world.org_id,
                                             amount=-account.subscription_balance,
                                             balance_type="subscription"))
    job_id = world.job(GENERATE)
    world.finish(GENERATE, job_id, keep=True)
    assert world.charges() == [] and world.cached_keys() == []
    assert world.outcome(job_id) == ("JobItemFailed", Decimal(0), NO_BALANCE)
    failed = [e for e in world.store.load(world.item_id) if isinstance(e, GenerationFailed)]
    assert [e.reason for e in failed] == [NO_BALANCE]
    assert world.load_item().status == "pending"


def test_regeneration_puts_the_item_back_to_pending_then_records_the_new_texts(
    world: GenerationWorld
) -> None:
    world.finish(GENERATE, world.job(GENERATE))
    world.when(edit_item, EditItem(org_id=world.org_id, project_id=world.project_id,
                                   item_id=world.item_id, status="rejected"))
    job_id = world.job(REGENERATE)
    world.finish(REGENERATE, job_id, score=0.2)
    tail = list(world.store.load(world.item_id))[-2:]
    assert [type(e) for e in tail] == [ItemQueuedForRegeneration, ContentGenerated]
    assert world.load_item().status == "flagged"
    assert len(world.charges()) == 2


def test_generation_parameters_are_checked_and_normalised() -> None:
    checked = check_generation_parameters({"settings": {"ai_provider": "openai"},
                                           "item_ids": [str(uuid4())]})
    assert checked["settings"]["ai_model"] == "gpt-4o-mini"
    assert len(checked["item_ids"]) == 1
    with pytest.raises(Exception, match="item_ids"):
        check_generation_parameters({"item_ids": ["nope"]})
    with pytest.raises(Exception, match="ai_provider"):
        check_generation_parameters({"settings": {"ai_provider": "nope"}})

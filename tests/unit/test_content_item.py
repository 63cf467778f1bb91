"""A content item, given past events, when a command, then the events it records."""

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.catalog.content_item import ContentItem
from domain.catalog.errors import (
    ItemExcludedError,
    ItemNotApprovedError,
    NotAReviewStatusError,
    NothingToReviewError,
)
from domain.catalog.events import (
    ContentEdited,
    ContentGenerated,
    GenerationFailed,
    ItemApproved,
    ItemExcluded,
    ItemFlagged,
    ItemImported,
    ItemMetadataChanged,
    ItemQueuedForRegeneration,
    ItemRejected,
    ItemRestored,
    ItemSynced,
)
from domain.catalog.item_status import EXCLUDED, ItemStatus, status_after
from domain.errors import InvalidCommandError
from domain.events import DomainEvent
from domain.generation.settings import GeneratedTexts, Validation
from tests.unit.world import given, then

ORG, PROJECT, SOURCE = UUID(int=1), UUID(int=2), UUID(int=3)
ITEM, JOB, JOB2, REVIEWER = UUID(int=10), UUID(int=20), UUID(int=21), UUID(int=30)
IMPORTED = ItemImported(org_id=ORG, project_id=PROJECT, source_id=SOURCE, external_id="SKU-1",
                        item_type="simple", parent_external_id=None, name="Mug",
                        source_data={"sku": "SKU-1"})
CONTENT = {"short_description": "A mug.", "long_description": "<p>A mug.</p>"}


def generated(status: str = ItemStatus.GENERATED, job: UUID = JOB, score: float = 0.9,
              reasons: tuple[str, ...] = (), content: dict[str, str] | None = None,
              ) -> ContentGenerated:
    return ContentGenerated(
        org_id=ORG, project_id=PROJECT, job_id=job, content=content or CONTENT, status=status,
        confidence_score=score, flag_reasons=reasons, provider="template",
        model="template-writer", tier="economy", input_tokens=10, output_tokens=20,
        xct_cost=Decimal("60.00"), cached=False, prompt_key="k1")


def record(item: ContentItem, job: UUID = JOB, score: float = 0.9,
           reasons: tuple[str, ...] = (), **kwargs: Any) -> bool:
    texts = GeneratedTexts(short_description="A mug.", long_description="<p>A mug.</p>")
    return item.record_generation(
        job_id=job, texts=texts, validation=Validation(confidence_score=score, reasons=reasons),
        provider="template", model="template-writer", tier="economy", input_tokens=10,
        output_tokens=20, xct_cost=Decimal("60.00"), cached=False, prompt_key="k1", **kwargs)


def test_a_good_result_makes_a_pending_item_generated() -> None:
    item = given(ContentItem, IMPORTED, id=ITEM)
    assert record(item) is True
    then(item, generated())
    assert item.status == ItemStatus.GENERATED and item.content == CONTENT


def test_a_result_below_the_threshold_flags_the_item_with_its_reasons() -> None:
    item = given(ContentItem, IMPORTED, id=ITEM)
    record(item, score=0.5, reasons=("price not in source",))
    then(item, generated(ItemStatus.FLAGGED, score=0.5, reasons=("price not in source",)))


def test_the_same_job_records_an_item_only_once() -> None:
    item = given(ContentItem, IMPORTED, generated(), id=ITEM)
    assert record(item, score=0.1) is False
    then(item)
    failed = given(ContentItem, IMPORTED,
                   GenerationFailed(org_id=ORG, project_id=PROJECT, job_id=JOB, reason="timeout"),
                   id=ITEM)
    assert record(failed) is False
    assert failed.record_generation_failure(JOB, "again") is False
    then(failed)


def test_another_job_may_write_the_item_again_keeping_the_history() -> None:
    item = given(ContentItem, IMPORTED, generated(), id=ITEM)
    assert record(item, job=JOB2, score=0.95) is True
    assert [v.job_id for v in item.history] == [JOB, JOB2]


def test_a_failure_keeps_the_status_and_says_why() -> None:
    item = given(ContentItem, IMPORTED, id=ITEM)
    assert item.record_generation_failure(JOB, "  provider timed out ") is True
    then(item, GenerationFailed(org_id=ORG, project_id=PROJECT, job_id=JOB,
                                reason="provider timed out"))
    assert item.status == ItemStatus.PENDING


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_a_confidence_score_outside_zero_to_one_is_refused(score: float) -> None:
    with pytest.raises(InvalidCommandError, match="confidence_score"):
        record(given(ContentItem, IMPORTED, id=ITEM), score=score)


@pytest.mark.parametrize(("status", "event"), [
    (ItemStatus.APPROVED, ItemApproved), (ItemStatus.REJECTED, ItemRejected),
    (ItemStatus.FLAGGED, ItemFlagged)])
def test_a_generated_item_takes_each_review_status(status: str, event: type[Any]) -> None:
    item = given(ContentItem, IMPORTED, generated(), id=ITEM)
    item.set_status(status, REVIEWER)
    then(item, event(org_id=ORG, project_id=PROJECT, by=REVIEWER))
    assert item.status == status


def test_setting_the_current_status_again_records_nothing() -> None:
    item = given(ContentItem, IMPORTED, generated(),
                 ItemApproved(org_id=ORG, project_id=PROJECT, by=None), id=ITEM)
    item.approve()
    then(item)
    synced = given(ContentItem, IMPORTED, generated(), ItemApproved(org_id=ORG, project_id=PROJECT, by=None),
                   ItemSynced(org_id=ORG, project_id=PROJECT), id=ITEM)
    synced.approve()
    then(synced)


@pytest.mark.parametrize("status", [ItemStatus.APPROVED, ItemStatus.REJECTED, ItemStatus.FLAGGED])
def test_an_item_without_content_cannot_be_reviewed(status: str) -> None:
    with pytest.raises(NothingToReviewError):
        given(ContentItem, IMPORTED, id=ITEM).set_status(status)


@pytest.mark.parametrize("status", [ItemStatus.GENERATED, ItemStatus.SYNCED, EXCLUDED, "published", ""])
def test_a_reviewer_cannot_set_other_statuses(status: str) -> None:
    with pytest.raises(NotAReviewStatusError):
        given(ContentItem, IMPORTED, generated(), id=ITEM).set_status(status)


@pytest.mark.parametrize("past", [
    (generated(),), (generated(ItemStatus.FLAGGED),),
    (generated(), ItemApproved(org_id=ORG, project_id=PROJECT, by=None)),
    (generated(), ItemRejected(org_id=ORG, project_id=PROJECT, by=None)),
])
def test_a_written_item_can_be_queued_for_regeneration(past: tuple[DomainEvent, ...]) -> None:
    item = given(ContentItem, IMPORTED, *past, id=ITEM)
    item.mark_for_regeneration(REVIEWER)
    then(item, ItemQueuedForRegeneration(org_id=ORG, project_id=PROJECT, by=REVIEWER))
    assert item.status == ItemStatus.PENDING
    item.set_status(ItemStatus.PENDING)
    then(item)


def test_only_an_approved_item_is_synced() -> None:
    with pytest.raises(ItemNotApprovedError):
        given(ContentItem, IMPORTED, generated(), id=ITEM).mark_synced()
    item = given(ContentItem, IMPORTED, generated(),
                 ItemApproved(org_id=ORG, project_id=PROJECT, by=None), id=ITEM)
    item.mark_synced()
    then(item, ItemSynced(org_id=ORG, project_id=PROJECT))


@pytest.mark.parametrize("event", [
    generated(), generated(ItemStatus.FLAGGED),
    ItemApproved(org_id=ORG, project_id=PROJECT, by=REVIEWER),
    ItemRejected(org_id=ORG, project_id=PROJECT, by=None),
    ItemFlagged(org_id=ORG, project_id=PROJECT, by=REVIEWER),
    ItemQueuedForRegeneration(org_id=ORG, project_id=PROJECT, by=None),
    ItemSynced(org_id=ORG, project_id=PROJECT),
])
def test_the_status_an_event_brings_is_the_one_the_item_has_after_it(event: DomainEvent) -> None:
    assert given(ContentItem, IMPORTED, generated(), event, id=ITEM).status == status_after(event) is not None
    assert status_after(ContentEdited(org_id=ORG, project_id=PROJECT, content={},
                                      edited_by=None)) is None


def test_an_edit_is_the_reviewers_version_and_the_generated_one_stays() -> None:
    item = given(ContentItem, IMPORTED, generated(), id=ITEM)
    item.edit(content={"short_description": "A great mug.", "long_description": ""},
              metadata={"note": "checked"}, status=ItemStatus.APPROVED, by=REVIEWER)
    then(item,
         ContentEdited(org_id=ORG, project_id=PROJECT, content={"short_description": "A great mug."},
                       edited_by=REVIEWER),
         ItemMetadataChanged(org_id=ORG, project_id=PROJECT, metadata={"note": "checked"},
                             by=REVIEWER),
         ItemApproved(org_id=ORG, project_id=PROJECT, by=REVIEWER))
    assert item.content == {"short_description": "A great mug."}
    assert item.generated_content == CONTENT
    assert [v.edited_by for v in item.history] == [None, REVIEWER]


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    item = given(ContentItem, IMPORTED, generated(), ItemMetadataChanged(
        org_id=ORG, project_id=PROJECT, metadata={"note": "x"}, by=None), id=ITEM)
    item.edit(content=dict(CONTENT), metadata={"note": "x", "gone": None})
    then(item)
    item.edit(metadata={"note": None})
    then(item, ItemMetadataChanged(org_id=ORG, project_id=PROJECT, metadata={}, by=None))


def test_an_edit_names_an_unknown_content_field() -> None:
    with pytest.raises(InvalidCommandError, match="'price'"):
        given(ContentItem, IMPORTED, generated(), id=ITEM).edit(content={"price": "9.99"})


def test_an_excluded_item_is_not_reviewed_until_restored() -> None:
    item = given(ContentItem, IMPORTED, generated(),
                 ItemExcluded(org_id=ORG, project_id=PROJECT, by=None), id=ITEM)
    with pytest.raises(ItemExcludedError):
        item.approve()
    with pytest.raises(ItemExcludedError):
        item.mark_for_regeneration()
    with pytest.raises(ItemExcludedError):
        item.edit(content={"name": "x"})
    assert item.exclude() is False
    assert item.restore(REVIEWER) is True
    item.approve(REVIEWER)
    then(item, ItemRestored(org_id=ORG, project_id=PROJECT, by=REVIEWER),
         ItemApproved(org_id=ORG, project_id=PROJECT, by=REVIEWER))


def test_a_new_result_merges_into_the_current_content() -> None:
    item = given(ContentItem, IMPORTED,
                 generated(content={"name": "Mug", "short_description": "Old."}), id=ITEM)
    item.record_generation(
        job_id=JOB2, texts=GeneratedTexts(short_description="New."),
        validation=Validation(confidence_score=0.9, reasons=()), provider="template",
        model="template-writer", tier="economy", input_tokens=1, output_tokens=1,
        xct_cost=Decimal("0"), cached=True, prompt_key="k2")
    assert item.content == {"name": "Mug", "short_description": "New."}

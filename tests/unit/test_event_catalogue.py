"""The event catalogue: every stored topic still names its event, and no event is left out."""

import importlib
import pkgutil
from collections.abc import Iterator
from decimal import Decimal
from types import ModuleType
from uuid import UUID

import pytest

import domain
from adapters.postgres.codec import Unread
from domain.billing.events import BillingEvent, ToppedUp
from domain.catalogue import CONTEXTS, EVENTS, catalogue, event_class
from domain.events import DomainEvent

# The topics the log holds. A topic must never leave this list: the events stored under it
# would no longer decode. Add the topic of a new event here.
STORED_TOPICS: dict[str, tuple[str, ...]] = {
    "billing": ("BalanceAdjusted", "BillingAccountOpened", "BillingSettingsChanged",
        "SubscriptionAllotmentWithdrawn", "SubscriptionAllotted", "SubscriptionExpired",
        "SubscriptionTierChanged", "ToppedUp", "UsageCharged"),
    "catalog": ("ContentEdited", "ContentGenerated", "GenerationFailed", "ItemApproved",
        "ItemExcluded",
        "ItemFlagged", "ItemImported", "ItemMetadataChanged", "ItemQueuedForRegeneration",
        "ItemRejected", "ItemRestored", "ItemSynced", "ProductBatchImported", "ProductEdited",
        "ProductRemoved", "ProductsImported", "ProjectCreated", "ProjectPurged",
        "ProjectRestored", "ProjectSourceAdded", "ProjectSourceRemoved", "ProjectTrashed",
        "ProjectTruncated", "ProjectUpdated", "SourceDeleted", "SourceImportCompleted",
        "SourceImportFailed", "SourceProductRemoved", "SourceRegistered", "ToneCreated",
        "ToneDeleted"),
    "claims": ("KeyClaimed", "KeyReleased"),
    "identity": ("ApiKeyCreated", "ApiKeyDeactivated", "ApiKeyDeleted", "InvitationAccepted",
        "InvitationCreated", "InvitationResent", "InvitationRevoked", "OrganizationAiKeysChanged",
        "OrganizationCreated", "OrganizationDetailsChanged", "OrganizationMemberJoined",
        "OrganizationMemberLeft", "OrganizationMemberRoleChanged", "TwoFactorDisabled",
        "TwoFactorEmailCodeSent", "TwoFactorEnabled", "TwoFactorReset", "TwoFactorSetupStarted",
        "TwoFactorSuspended", "UserApiKeyIssued", "UserDeactivated", "UserEmailChanged",
        "UserLoggedIn", "UserPasswordChanged", "UserProfileChanged", "UserReactivated",
        "UserRegistered", "UserRoleChanged"),
    "jobs": ("JobCancelled", "JobCompleted", "JobCreated", "JobFailed", "JobItemFailed",
        "JobItemSkipped", "JobItemSucceeded", "JobPlanned", "JobSlotReleased", "JobSlotTaken",
        "JobStarted", "JobUnitProgressed"),
    "search": ("NumberAllocated", "PageContentUpdated", "PageCreated", "PageDeleted",
        "PageMetadataUpdated", "QueryChanged", "QueryDeleted", "QuerySaved", "SegmentChanged",
        "SegmentDefined", "SegmentDeleted", "FeedChanged", "FeedCreated", "FeedDeleted",
        "FeedProductsRemoved", "FeedProductsUpserted", "FeedSyncFailed", "FeedSynced"),
    "pages": ("DesignSystemChanged", "LandingPageChanged", "LandingPageCreated",
        "LandingPageDeleted", "LandingPageGenerated", "LandingPageBlocksEdited", "PageSlugClaimed",
        "PageSlugReleased",
        "HtmlPageChanged", "HtmlPageCreated", "HtmlPageDeleted", "HtmlPagePreviewImageSet",
        "TemplateChanged", "TemplateDeleted", "TemplateSaved"),
    "stores": ("ItemSyncFinished", "ItemSyncStarted", "StoreConnectionAutoSyncSet",
        "StoreConnectionChanged",
        "StoreConnectionCreated", "StoreConnectionDeleted", "StoreConnectionLinked",
        "StoreConnectionTested", "StoreConnectionUnlinked"),
    "blog": ("BlogCategoriesCached", "BlogConnectionChanged", "BlogConnectionCreated",
        "BlogConnectionDeleted", "BlogTemplateChanged", "BlogTemplateCreated",
        "BlogTemplateDeleted",
        "BlogPostChanged", "BlogPostCreated", "BlogPostDeleted", "BlogPostGenerated",
        "BlogPostGenerationFailed", "BlogPostGenerationStarted", "BlogPostPublished",
        "BlogPostPublishFailed", "BlogPostPublishStarted", "BlogPostScheduled",
        "BlogPostUnpublished", "BlogPostUnscheduled", "BlogSlugClaimed", "BlogSlugReleased",
        "PostImageAdded", "PostImageRemoved", "StockPhotoKeyAdded", "StockPhotoKeyChanged",
        "StockPhotoKeyDeleted"),
}

BASES = {base for base, _ in CONTEXTS}


def _subclasses(cls: type[DomainEvent]) -> Iterator[type[DomainEvent]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _every_event_class() -> list[type[DomainEvent]]:
    """Every DomainEvent subclass of the code, once each domain module is imported."""
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    return [cls for cls in _subclasses(DomainEvent)
            if cls.__module__ != __name__ and cls not in BASES and cls is not Unread]


def test_the_catalogue_holds_exactly_the_stored_topics() -> None:
    stored = {f"{context}.{name}" for context, names in STORED_TOPICS.items() for name in names}
    assert stored - set(EVENTS) == set(), "stored events of these topics would not decode"
    assert set(EVENTS) - stored == set(), "new topics: add them to STORED_TOPICS"


def test_each_topic_names_its_class_and_the_context_comes_from_the_base() -> None:
    for topic, cls in EVENTS.items():
        assert topic == f"{cls.context}.{cls.__name__}"
        assert "context" not in vars(cls), f"{topic} sets its own context"
        assert [base for base in BASES if issubclass(cls, base)] != [], topic


def test_every_event_class_in_the_code_is_in_the_catalogue() -> None:
    unknown = [f"{cls.__module__}.{cls.__qualname__}" for cls in _every_event_class()
               if EVENTS.get(cls.topic()) is not cls]
    assert unknown == []


def test_no_two_event_classes_share_a_topic() -> None:
    by_topic: dict[str, list[str]] = {}
    for cls in _every_event_class():
        by_topic.setdefault(cls.topic(), []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {topic: names for topic, names in by_topic.items() if len(names) > 1} == {}


def test_the_catalogue_refuses_two_classes_with_one_topic() -> None:
    class ToppedUp(BillingEvent):  # the name of the real one, in another module
        pass

    other = ModuleType("elsewhere")
    vars(other)["ToppedUp"] = ToppedUp
    with pytest.raises(ValueError, match=r"billing\.ToppedUp"):
        catalogue([*CONTEXTS, (BillingEvent, other)])


def test_a_topic_no_context_defines_is_a_key_error() -> None:
    assert event_class("billing.ToppedUp") is ToppedUp
    with pytest.raises(KeyError):
        event_class("billing.BillingEvent")


def test_every_version_of_an_event_has_its_upcaster() -> None:
    for topic, cls in EVENTS.items():
        assert set(cls.upcasters) == set(range(1, cls.version)), topic


def test_events_are_frozen_keyword_only_dataclasses() -> None:
    event = ToppedUp(org_id=UUID(int=1), transaction_id=UUID(int=2), amount=Decimal(1),
                      description="")
    with pytest.raises(AttributeError):
        event.description = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        ToppedUp(UUID(int=1))  # type: ignore[call-arg]

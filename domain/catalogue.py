"""Every event the log may hold, by topic (`<context>.<ClassName>`).

The store decodes through this list alone, so a stored event reads back whichever modules a
process happened to import. A context's events are those its events module defines or
re-exports that subclass the context's base.
"""

from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from domain import claims
from domain.billing import events as billing
from domain.blog import events as blog
from domain.blog import media_events as blog_media
from domain.catalog import events as catalog
from domain.events import DomainEvent
from domain.identity import events as identity
from domain.jobs import events as jobs
from domain.pages import events as pages
from domain.search import events as search
from domain.search import feed_events as search_feeds
from domain.search import saved_events as saved_search
from domain.stores import events as stores

CONTEXTS: tuple[tuple[type[DomainEvent], ModuleType], ...] = (
    (identity.IdentityEvent, identity),
    (claims.ClaimEvent, claims),
    (billing.BillingEvent, billing),
    (jobs.JobEvent, jobs),
    (catalog.CatalogEvent, catalog),
    (search.SearchEvent, search),
    (search.SearchEvent, saved_search),
    (search.SearchEvent, search_feeds),
    (pages.PagesEvent, pages),
    (stores.StoreEvent, stores),
    (blog.BlogEvent, blog),
    (blog.BlogEvent, blog_media),
)


def events_of(base: type[DomainEvent], module: ModuleType) -> list[type[DomainEvent]]:
    """The subclasses of `base` that `module` defines or re-exports, by name."""
    found = {value for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, base) and value is not base}
    return sorted(found, key=lambda cls: cls.__name__)


def catalogue(
    contexts: Iterable[tuple[type[DomainEvent], ModuleType]],
) -> Mapping[str, type[DomainEvent]]:
    """Topic → event class; ValueError if two classes would share a topic."""
    by_topic: dict[str, type[DomainEvent]] = {}
    for base, module in contexts:
        for cls in events_of(base, module):
            known = by_topic.setdefault(cls.topic(), cls)
            if known is not cls:
                raise ValueError(f"two events share the topic {cls.topic()}: "
                                 f"{known.__module__} and {cls.__module__}")
    return MappingProxyType(by_topic)


EVENTS = catalogue(CONTEXTS)


def event_class(topic: str) -> type[DomainEvent]:
    """The event class a topic names; KeyError for a topic no context defines."""
    return EVENTS[topic]

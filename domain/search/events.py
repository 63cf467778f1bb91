"""What happens in the search context: documents of the page index, saved queries, product
segments and external product feeds. Texts and vectors are never in an event beyond what the
context must keep; vectors are derived data."""

from domain.events import DomainEvent


class SearchEvent(DomainEvent):
    """The base of every search event: its topic in the log is `search.<ClassName>`."""

    context = "search"

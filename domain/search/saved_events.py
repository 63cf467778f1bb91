"""Events of saved queries and product segments, and of the per-organization numbers
that name them (the integer ids the API shows)."""

from uuid import UUID

from domain.search.events import SearchEvent


class NumberAllocated(SearchEvent):
    """The organization's counter of `kind` ("query", "segment") gave out `number`."""

    kind: str
    number: int


class QuerySaved(SearchEvent):
    number: int
    text: str
    active: bool


class QueryChanged(SearchEvent):
    number: int
    text: str
    active: bool


class QueryDeleted(SearchEvent):
    number: int


class SegmentDefined(SearchEvent):
    number: int
    name: str
    project_ids: tuple[UUID, ...]
    categories: tuple[str, ...]
    skus: tuple[str, ...]
    feeds: tuple[int, ...] = ()
    """Numbers of the organization's product feeds (none in events written before)."""


class SegmentChanged(SearchEvent):
    number: int
    name: str
    project_ids: tuple[UUID, ...]
    categories: tuple[str, ...]
    skus: tuple[str, ...]
    feeds: tuple[int, ...] = ()
    """Numbers of the organization's product feeds (none in events written before)."""


class SegmentDeleted(SearchEvent):
    number: int

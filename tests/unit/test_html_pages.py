"""HTML pages on the domain and the in-memory store: slugs formatted and unique across
organizations, a new version only when the HTML changes, another organization's number not
found."""

from uuid import uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from commands.pages.html_pages import (
    ChangeHtmlPage,
    CreateHtmlPage,
    DeleteHtmlPage,
    change_html_page,
    create_html_page,
    delete_html_page,
)
from domain.errors import ConflictError, InvalidCommandError, NotFoundError, TooLargeError
from domain.log import EventMeta
from domain.pages.events import HtmlPageChanged
from domain.pages.html_pages import MAX_HTML_BYTES, format_slug

META = EventMeta(actor_type="user", actor_id="u1")
HTML = "<!DOCTYPE html><html><body data-page-id=\"{{PAGE_ID}}\"><h1>Hi</h1></body></html>"


def test_a_slug_is_lower_case_words_joined_by_hyphens() -> None:
    assert format_slug("Team Sprint Board") == "team-sprint-board"
    assert format_slug("  My_New  Slug!! ") == "my-new-slug"
    assert format_slug("--a--b--") == "a-b"
    for bad in ("!", "a", "  ", "é"):
        with pytest.raises(InvalidCommandError, match="slug"):
            format_slug(bad)


def test_slugs_are_unique_across_organizations_and_numbered_when_taken() -> None:
    bus, one, two = CommandBus(InMemoryEventStore()), uuid4(), uuid4()
    first = bus.execute(create_html_page, CreateHtmlPage(org_id=one, name="Board",
                                                         html_content=HTML), META)
    second = bus.execute(create_html_page, CreateHtmlPage(org_id=two, name="Board",
                                                          html_content=HTML), META)
    assert (first.result, second.result) == (1, 1)
    with pytest.raises(ConflictError, match="board"):
        bus.execute(change_html_page, ChangeHtmlPage(org_id=two, number=1, slug="board"), META)
    renamed = bus.execute(change_html_page, ChangeHtmlPage(org_id=one, number=1,
                                                           slug="Sprint Board"), META)
    assert renamed.result == "sprint-board"
    assert bus.execute(change_html_page, ChangeHtmlPage(
        org_id=two, number=1, slug="board"), META).result == "board", "the old slug is free"
    with pytest.raises(NotFoundError):
        bus.execute(delete_html_page, DeleteHtmlPage(org_id=two, number=2), META)


def test_only_a_change_of_the_html_is_a_new_version() -> None:
    store = InMemoryEventStore()
    bus, org = CommandBus(store), uuid4()
    bus.execute(create_html_page, CreateHtmlPage(org_id=org, name="P", html_content=HTML), META)
    bus.execute(change_html_page, ChangeHtmlPage(org_id=org, number=1, name="Q"), META)
    bus.execute(change_html_page, ChangeHtmlPage(org_id=org, number=1,
                                                 html_content=HTML + "<!-- 2 -->"), META)
    nothing = bus.execute(change_html_page, ChangeHtmlPage(org_id=org, number=1, name="Q"),
                          META)
    assert nothing.position == 0
    changes = [r.event for r in store.log if isinstance(r.event, HtmlPageChanged)]
    assert [(c.name, c.html_version) for c in changes] == [("Q", 1), ("Q", 2)]
    with pytest.raises(TooLargeError):
        bus.execute(change_html_page, ChangeHtmlPage(
            org_id=org, number=1, html_content="x" * (MAX_HTML_BYTES + 1)), META)
    with pytest.raises(InvalidCommandError, match="storage_mode"):
        bus.execute(change_html_page, ChangeHtmlPage(org_id=org, number=1,
                                                     storage_mode="cloud"), META)

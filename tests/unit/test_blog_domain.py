"""The blog context's rules: a connection's site URL, username and application password
checked, a change of nothing recorded as nothing, and a template's fields merged."""

from uuid import uuid4

import pytest

from domain.blog.connection import BlogConnection, check_password, check_site_url
from domain.blog.template import BlogTemplate
from domain.errors import InvalidCommandError, NotFoundError


def test_the_site_url_is_an_http_url_kept_without_its_trailing_slash() -> None:
    assert check_site_url(" https://Blog.Example.com/news/?x=1 ") == "https://blog.example.com/news"
    for bad in ("ftp://blog.test", "blog.test", "https://user:pw@blog.test", "https://"):
        with pytest.raises(InvalidCommandError, match="site_url"):
            check_site_url(bad)


def test_an_application_password_is_kept_without_its_spaces() -> None:
    assert check_password("abcd efgh ijkl") == "abcdefghijkl"
    with pytest.raises(InvalidCommandError, match="app_password"):
        check_password("   ")


def test_a_connection_change_of_nothing_records_nothing_and_another_org_finds_none() -> None:
    org = uuid4()
    connection = BlogConnection(uuid4())
    connection.create(org_id=org, name="Blog", site_url="https://blog.test", username="u",
                      password_fingerprint="f1")
    connection.evolve(connection.pending[-1])
    assert not connection.change(org, name="Blog", site_url=None, username=None,
                                 password_fingerprint="f1", is_active=None)
    assert connection.change(org, name=None, site_url=None, username=None,
                             password_fingerprint="f2", is_active=False)
    with pytest.raises(NotFoundError):
        connection.delete(uuid4())


def test_a_template_change_keeps_the_fields_not_given() -> None:
    org = uuid4()
    template = BlogTemplate(uuid4())
    template.create(org_id=org, name="How-to", description="", tone="friendly",
                    structure={"sections": ["intro"]}, custom_instructions="", is_default=False)
    template.evolve(template.pending[-1])
    assert template.change(org, {"tone": "formal", "name": None})
    changed = template.pending[-1]
    assert (changed.name, changed.tone, changed.structure) == (  # type: ignore[attr-defined]
        "How-to", "formal", {"sections": ["intro"]})

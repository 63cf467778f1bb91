"""API-key scopes: which scope each route needs (its area by tag, read or write by method),
what a key's scopes grant, and that every route that authenticates belongs to an area."""

from pathlib import Path

import pytest
from litestar.handlers import HTTPRouteHandler

from adapters.settings import Settings
from api.app import create_app
from api.auth import AUTHENTICATED
from api.key_scopes import TAG_AREAS, grants
from domain.errors import InvalidCommandError
from domain.identity.api_key import ApiKey


@pytest.mark.parametrize("scope, required, granted", [
    ("all", "pages:write", True),
    ("all", None, True),
    ("pages:read", "pages:read", True),
    ("pages:read", "pages:write", False),
    ("pages:write", "pages:read", True),
    ("pages:write catalog:read", "catalog:read", True),
    ("pages:write catalog:read", "catalog:write", False),
    ("pages:write", "blog:read", False),
    ("pages:write", None, False),
    ("index", "index:write", True),
    ("index", "search:read", False),
])
def test_a_keys_scopes_grant_their_areas_and_write_includes_read(
    scope: str, required: str | None, granted: bool,
) -> None:
    assert grants(scope, required) is granted


def test_scopes_are_checked_and_kept_in_one_order() -> None:
    assert ApiKey.check_scope("pages:write  catalog:read pages:write") == "catalog:read pages:write"
    assert ApiKey.check_scope("index") == "index"
    for bad in ("everything", "pages:admin", "", "all pages:read"):
        with pytest.raises(InvalidCommandError):
            ApiKey.check_scope(bad)


def test_every_route_that_authenticates_belongs_to_an_area() -> None:
    app = create_app(Settings(home=Path("unused")))
    unmapped = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            if not set(AUTHENTICATED) <= set(handler.dependencies or {}):
                continue
            tags = handler.tags or []
            if handler.opt.get("scope") is None and (not tags or tags[0] not in TAG_AREAS):
                unmapped.append((route.path, tags))
    assert unmapped == [], "add each tag to TAG_AREAS in api/key_scopes.py"

"""`/api/v1/ai-pages/design-system` (≡ `/api/ai-pages/design-system/`): the organization's
colour, font and spacing tokens and its custom CSS. Until it is first changed, the defaults
are answered (`is_default`), without writing anything on a read."""

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get, patch

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from commands.pages import design as handlers
from domain.pages.design_system import DEFAULTS, MAX_CSS_CHARS
from projections.pages.queries import get_design_system

WAIT_FOR = ("pages",)
PATH = "/api/v1/ai-pages/design-system"
_TOKEN = Annotated[str, msgspec.Meta(max_length=200)]


class DesignSystemOut(msgspec.Struct):
    primary_color: str
    secondary_color: str
    background_color: str
    text_color: str
    heading_font: str
    body_font: str
    border_radius: str
    spacing_unit: int
    custom_css: str
    is_default: bool
    updated_at: datetime | None

    @classmethod
    def of(cls, tokens: dict[str, Any], updated_at: datetime | None) -> "DesignSystemOut":
        return cls(**tokens, is_default=updated_at is None, updated_at=updated_at)


class DesignSystemChange(msgspec.Struct, forbid_unknown_fields=True):
    """All optional: the tokens not given keep their values."""

    primary_color: _TOKEN | None = None
    secondary_color: _TOKEN | None = None
    background_color: _TOKEN | None = None
    text_color: _TOKEN | None = None
    heading_font: _TOKEN | None = None
    body_font: _TOKEN | None = None
    border_radius: _TOKEN | None = None
    spacing_unit: int | None = None
    custom_css: Annotated[str, msgspec.Meta(max_length=MAX_CSS_CHARS * 2)] | None = None


async def _current(services: AppServices, principal: Caller) -> DesignSystemOut:
    async with services.pool.connection() as conn:
        row = await get_design_system(conn, principal.org_id)
    if row is None:
        return DesignSystemOut.of(dict(DEFAULTS), None)
    return DesignSystemOut.of(row.tokens, row.updated_at)


@get(PATH, operation_id="get_design_system", tags=["pages"], summary="Get design system",
     dependencies=AUTHENTICATED)
async def read_design_system(services: AppServices, principal: Caller) -> DesignSystemOut:
    """The organization's design system (the defaults until it is first changed)."""
    return await _current(services, principal)


@patch(PATH, operation_id="update_design_system", tags=["pages"],
       summary="Update design system", dependencies=AUTHENTICATED)
async def update_design_system(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    data: DesignSystemChange,
) -> DesignSystemOut:
    """Change the tokens given: hex colours, font family names, a CSS length for the
    radius, whole pixels for the spacing; custom CSS is cleaned so that it stays inside its
    style element (`<` escaped, `@import` dropped, script refused)."""
    values = {name: value for name in DEFAULTS
              if (value := getattr(data, name)) is not None}
    await run_command(request, principal, handlers.change_design_system,
                      handlers.ChangeDesignSystem(org_id=principal.org_id, values=values),
                      wait_for=WAIT_FOR)
    return await _current(services, principal)


ROUTES = [read_design_system, update_design_system]

"""`/api/v1/ai-pages/templates` (≡ `/api/ai-pages/templates/`): page templates, ordered
blocks to start a page from, with integer ids. Every block is checked against its type's
JSON Schema; a bad one is refused (422) with the path of the bad field."""

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, patch, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.search.numbers import check_number
from commands.pages import design as handlers
from domain.errors import NotFoundError
from domain.pages.blocks import MAX_BLOCKS
from domain.pages.templates import MAX_DESCRIPTION, MAX_NAME, MAX_TAG, MAX_TAGS
from projections.pages.queries import TemplateRow, get_template, list_templates

WAIT_FOR = ("pages",)
TEMPLATES_PATH = "/api/v1/ai-pages/templates"
TEMPLATE_PATH = TEMPLATES_PATH + "/{template_id:int}"
_NAME = Annotated[str, msgspec.Meta(max_length=MAX_NAME * 4)]
_DESCRIPTION = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION * 2)]
_BLOCKS = Annotated[list[Any], msgspec.Meta(max_length=MAX_BLOCKS * 2)]
_TAGS = Annotated[list[Annotated[str, msgspec.Meta(max_length=MAX_TAG * 4)]],
                  msgspec.Meta(max_length=MAX_TAGS * 2)]


class TemplateIn(msgspec.Struct):
    name: _NAME
    blocks: _BLOCKS
    description: _DESCRIPTION = ""
    tags: _TAGS = msgspec.field(default_factory=list)


class TemplateChange(msgspec.Struct):
    """Only the fields given change."""

    name: _NAME | None = None
    description: _DESCRIPTION | None = None
    blocks: _BLOCKS | None = None
    tags: _TAGS | None = None


class TemplateOut(msgspec.Struct):
    id: int
    name: str
    description: str
    blocks: list[dict[str, Any]]
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: TemplateRow) -> "TemplateOut":
        return cls(id=row.number, name=row.name, description=row.description,
                   blocks=row.blocks, tags=row.tags, created_at=row.created_at,
                   updated_at=row.updated_at)


async def _find(services: AppServices, principal: Caller, number: int) -> TemplateOut:
    async with services.pool.connection() as conn:
        row = await get_template(conn, principal.org_id, number)
    if row is None:
        raise NotFoundError("template not found")
    return TemplateOut.of(row)


@get(TEMPLATES_PATH, operation_id="list_page_templates", tags=["pages"],
     summary="List templates", dependencies=AUTHENTICATED)
async def read_templates(services: AppServices, principal: Caller) -> list[TemplateOut]:
    """The organization's page templates, by id."""
    async with services.pool.connection() as conn:
        return [TemplateOut.of(row) for row in await list_templates(conn, principal.org_id)]


@post(TEMPLATES_PATH, operation_id="create_page_template", tags=["pages"], status_code=201,
      summary="Create template", dependencies=AUTHENTICATED)
async def create_template(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    data: TemplateIn,
) -> TemplateOut:
    """Keep a template under the organization's next template id."""
    outcome = await run_command(request, principal, handlers.save_template,
                                handlers.SaveTemplate(org_id=principal.org_id, name=data.name,
                                                      description=data.description,
                                                      blocks=data.blocks, tags=tuple(data.tags)),
                                wait_for=WAIT_FOR)
    return await _find(services, principal, outcome.result)


@get(TEMPLATE_PATH, operation_id="get_page_template", tags=["pages"], summary="Get template",
     dependencies=AUTHENTICATED)
async def read_template(services: AppServices, principal: Caller,
                        template_id: int) -> TemplateOut:
    """One template; 404 when the organization has none by this id."""
    return await _find(services, principal, check_number(template_id, "template"))


@patch(TEMPLATE_PATH, operation_id="update_page_template", tags=["pages"],
       summary="Update template", dependencies=AUTHENTICATED)
async def update_template(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    template_id: int, data: TemplateChange,
) -> TemplateOut:
    """Change the fields given (blocks are replaced as a whole)."""
    number = check_number(template_id, "template")
    await run_command(request, principal, handlers.change_template, handlers.ChangeTemplate(
        org_id=principal.org_id, number=number, name=data.name, description=data.description,
        blocks=data.blocks, tags=None if data.tags is None else tuple(data.tags)),
        wait_for=WAIT_FOR)
    return await _find(services, principal, number)


@delete(TEMPLATE_PATH, operation_id="delete_page_template", tags=["pages"],
        summary="Delete template", dependencies=AUTHENTICATED)
async def delete_template(request: Request[Any, Any, Any], principal: Caller,
                          template_id: int) -> None:
    """Delete a template; its id is not given out again."""
    await run_command(request, principal, handlers.delete_template, handlers.DeleteTemplate(
        org_id=principal.org_id, number=check_number(template_id, "template")),
        wait_for=WAIT_FOR)


ROUTES = [read_templates, create_template, read_template, update_template, delete_template]

"""`/api/v1/blog-templates`: how the organization's blog posts are written (tone,
structure, custom instructions); at most one is the default. The built-in templates, one
per post type, are listed first and cannot be changed or deleted (403)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, patch, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from commands.blog import templates as handlers
from domain.blog.template import MAX_DESCRIPTION, MAX_INSTRUCTIONS, MAX_NAME, MAX_TONE
from domain.errors import NotFoundError
from projections.blog.queries import TemplateRow, get_template, list_templates

WAIT_FOR = ("blog",)
TEMPLATES_PATH = "/api/v1/blog-templates"
TEMPLATE_PATH = TEMPLATES_PATH + "/{template_id:uuid}"
_NAME = Annotated[str, msgspec.Meta(max_length=MAX_NAME * 4)]
_DESCRIPTION = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION * 2)]
_TONE = Annotated[str, msgspec.Meta(max_length=MAX_TONE * 2)]
_INSTRUCTIONS = Annotated[str, msgspec.Meta(max_length=MAX_INSTRUCTIONS * 2)]


class TemplateIn(msgspec.Struct):
    name: _NAME
    description: _DESCRIPTION = ""
    tone: _TONE = ""
    structure: dict[str, Any] = msgspec.field(default_factory=dict)
    custom_instructions: _INSTRUCTIONS = ""
    is_default: bool = False


class TemplateChange(msgspec.Struct):
    """Only the fields given change."""

    name: _NAME | None = None
    description: _DESCRIPTION | None = None
    tone: _TONE | None = None
    structure: dict[str, Any] | None = None
    custom_instructions: _INSTRUCTIONS | None = None
    is_default: bool | None = None


class TemplateOut(msgspec.Struct):
    id: UUID
    organization_id: UUID
    name: str
    description: str
    tone: str
    structure: dict[str, Any]
    custom_instructions: str
    is_default: bool
    created_at: datetime
    updated_at: datetime
    is_built_in: bool = False
    """Read-only, the same for every organization; copy it with POST to change it."""

    @classmethod
    def of(cls, row: TemplateRow) -> "TemplateOut":
        return cls(id=row.id, organization_id=row.org_id, name=row.name,
                   description=row.description, tone=row.tone, structure=row.structure,
                   custom_instructions=row.custom_instructions, is_default=row.is_default,
                   created_at=row.created_at, updated_at=row.updated_at,
                   is_built_in=row.is_built_in)


async def _find(services: AppServices, principal: Caller, template_id: UUID) -> TemplateOut:
    async with services.pool.connection() as conn:
        row = await get_template(conn, principal.org_id, template_id)
    if row is None:
        raise NotFoundError("blog template not found")
    return TemplateOut.of(row)


@get(TEMPLATES_PATH, operation_id="list_blog_templates", tags=["blog"],
     summary="List blog templates", dependencies=AUTHENTICATED)
async def read_templates(services: AppServices, principal: Caller) -> list[TemplateOut]:
    async with services.pool.connection() as conn:
        return [TemplateOut.of(row) for row in await list_templates(conn, principal.org_id)]


@post(TEMPLATES_PATH, operation_id="create_blog_template", tags=["blog"], status_code=200,
      summary="Create blog template", dependencies=AUTHENTICATED)
async def create_template(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, data: TemplateIn) -> TemplateOut:
    template_id = uuid4()
    await run_command(request, principal, handlers.create_template, handlers.CreateTemplate(
        org_id=principal.org_id, template_id=template_id, name=data.name,
        description=data.description, tone=data.tone, structure=data.structure,
        custom_instructions=data.custom_instructions, is_default=data.is_default),
        wait_for=WAIT_FOR)
    return await _find(services, principal, template_id)


@get(TEMPLATE_PATH, operation_id="get_blog_template", tags=["blog"],
     summary="Get blog template", dependencies=AUTHENTICATED)
async def read_template(services: AppServices, principal: Caller,
                        template_id: UUID) -> TemplateOut:
    return await _find(services, principal, template_id)


@patch(TEMPLATE_PATH, operation_id="update_blog_template", tags=["blog"],
       summary="Update blog template", dependencies=AUTHENTICATED)
async def update_template(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, template_id: UUID,
                          data: TemplateChange) -> TemplateOut:
    await run_command(request, principal, handlers.change_template, handlers.ChangeTemplate(
        org_id=principal.org_id, template_id=template_id,
        changes={f: getattr(data, f) for f in data.__struct_fields__}), wait_for=WAIT_FOR)
    return await _find(services, principal, template_id)


@delete(TEMPLATE_PATH, operation_id="delete_blog_template", tags=["blog"],
        summary="Delete blog template", dependencies=AUTHENTICATED)
async def delete_template(request: Request[Any, Any, Any], principal: Caller,
                          template_id: UUID) -> None:
    await run_command(request, principal, handlers.delete_template, handlers.DeleteTemplate(
        org_id=principal.org_id, template_id=template_id), wait_for=WAIT_FOR)


ROUTES = [read_templates, create_template, read_template, update_template, delete_template]

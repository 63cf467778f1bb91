"""Blog commands on an organization's blog templates (the built-in ones are read-only)."""

import dataclasses
from typing import Any
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.blog.builtin_templates import is_built_in
from domain.blog.template import BlogTemplate
from domain.errors import ForbiddenError


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateTemplate:
    org_id: UUID
    template_id: UUID
    name: str
    description: str = ""
    tone: str = ""
    structure: dict[str, Any] = dataclasses.field(default_factory=dict)
    custom_instructions: str = ""
    is_default: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeTemplate:
    org_id: UUID
    template_id: UUID
    changes: dict[str, Any]
    """Field name → new value; fields left out do not change."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteTemplate:
    org_id: UUID
    template_id: UUID


def create_template(uow: UnitOfWork, cmd: CreateTemplate) -> UUID:
    uow.get(BlogTemplate, cmd.template_id).create(
        org_id=cmd.org_id, name=cmd.name, description=cmd.description, tone=cmd.tone,
        structure=cmd.structure, custom_instructions=cmd.custom_instructions,
        is_default=cmd.is_default)
    return cmd.template_id


def change_template(uow: UnitOfWork, cmd: ChangeTemplate) -> None:
    _check_own(cmd.template_id)
    uow.get(BlogTemplate, cmd.template_id).change(cmd.org_id, cmd.changes)


def delete_template(uow: UnitOfWork, cmd: DeleteTemplate) -> None:
    _check_own(cmd.template_id)
    uow.get(BlogTemplate, cmd.template_id).delete(cmd.org_id)


def _check_own(template_id: UUID) -> None:
    if is_built_in(template_id):
        raise ForbiddenError("a built-in blog template cannot be changed or deleted: copy it"
                             " with POST /api/v1/blog-templates and change the copy")

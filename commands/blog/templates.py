"""Blog commands on an organization's blog templates."""

import dataclasses
from typing import Any
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.blog.template import BlogTemplate


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
    uow.get(BlogTemplate, cmd.template_id).change(cmd.org_id, cmd.changes)


def delete_template(uow: UnitOfWork, cmd: DeleteTemplate) -> None:
    uow.get(BlogTemplate, cmd.template_id).delete(cmd.org_id)

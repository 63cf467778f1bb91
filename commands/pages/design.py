"""Pages commands: the organization's design system and its page templates."""

import dataclasses
from typing import Any
from uuid import UUID

from adapters.block_schemas import check_blocks
from commands.unit_of_work import UnitOfWork
from domain.pages.design_system import DesignSystem, design_system_id
from domain.pages.templates import TEMPLATE_KIND, PageTemplate
from domain.search.numbering import NumberCounter, counter_id, numbered_id


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeDesignSystem:
    org_id: UUID
    values: dict[str, Any]
    """Only the tokens given change."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class SaveTemplate:
    org_id: UUID
    name: str
    description: str = ""
    blocks: list[Any] = dataclasses.field(default_factory=list)
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeTemplate:
    """`None`: leave as it is."""

    org_id: UUID
    number: int
    name: str | None = None
    description: str | None = None
    blocks: list[Any] | None = None
    tags: tuple[str, ...] | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteTemplate:
    org_id: UUID
    number: int


def change_design_system(uow: UnitOfWork, cmd: ChangeDesignSystem) -> dict[str, Any]:
    """Change the given tokens; the whole design system after."""
    design = uow.get(DesignSystem, design_system_id(cmd.org_id))
    design.change(cmd.org_id, cmd.values)
    return dict(design.tokens)


def save_template(uow: UnitOfWork, cmd: SaveTemplate) -> int:
    """Keep a template under the organization's next number (its blocks checked against
    their schemas first); returns the number."""
    blocks = check_blocks(cmd.blocks)
    counter = uow.get(NumberCounter, counter_id(cmd.org_id, TEMPLATE_KIND))
    number = counter.allocate(cmd.org_id, TEMPLATE_KIND)
    template = uow.get(PageTemplate, numbered_id(cmd.org_id, TEMPLATE_KIND, number))
    template.save(org_id=cmd.org_id, number=number, name=cmd.name,
                  description=cmd.description, blocks=blocks, tags=cmd.tags)
    return number


def change_template(uow: UnitOfWork, cmd: ChangeTemplate) -> None:
    """Change what is given; NotFoundError when the organization has no such template."""
    template = uow.get(PageTemplate, numbered_id(cmd.org_id, TEMPLATE_KIND, cmd.number))
    template.check_is_live(cmd.org_id)
    blocks = None if cmd.blocks is None else check_blocks(cmd.blocks)
    template.change(cmd.org_id, name=cmd.name, description=cmd.description, blocks=blocks,
                    tags=cmd.tags)


def delete_template(uow: UnitOfWork, cmd: DeleteTemplate) -> None:
    uow.get(PageTemplate, numbered_id(cmd.org_id, TEMPLATE_KIND, cmd.number)).delete(cmd.org_id)

"""Pages command: one operation of the page builder on a landing page's blocks."""

import dataclasses
from uuid import UUID

from adapters.block_schemas import check_block
from commands.pages.landing import check_within_page_limit
from commands.unit_of_work import UnitOfWork
from domain.pages.builder import Applied, BlockOperation, apply
from domain.pages.landing import PAGE_KIND, LandingPage
from domain.search.numbering import numbered_id


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApplyBlockOperation:
    org_id: UUID
    number: int
    operation: BlockOperation
    actor: str
    """`user`, or `agent` when the builder's agent asked for it."""
    user_id: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class CheckBuildable:
    org_id: UUID
    number: int


def check_buildable(uow: UnitOfWork, cmd: CheckBuildable) -> None:
    """NotFoundError for another organization's page, ForbiddenError past the page limit
    (the seed's WithinPageLimit gate); records nothing."""
    uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, cmd.number)).check_is_live(cmd.org_id)
    check_within_page_limit(uow, cmd.org_id)


def apply_block_operation(uow: UnitOfWork, cmd: ApplyBlockOperation) -> Applied:
    """Apply the operation to the page's blocks and record it; NotFoundError for another
    organization's page, InvalidCommandError (naming the bad field) when the operation or the
    block it makes is invalid — then nothing is recorded; ForbiddenError past the page limit."""
    page = uow.get(LandingPage, numbered_id(cmd.org_id, PAGE_KIND, cmd.number))
    page.check_is_live(cmd.org_id)
    check_within_page_limit(uow, cmd.org_id)
    applied = apply(page.blocks, cmd.operation)
    if applied.block is not None:
        check_block(applied.block, f"block {applied.block_id}")
    page.edit_blocks(cmd.org_id, cmd.operation, applied, actor=cmd.actor, user_id=cmd.user_id)
    return applied

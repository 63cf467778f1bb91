"""A page template: a named, ordered list of blocks to start a page from, with tags.
Numbered per organization (the integer ids the API shows). Its blocks are validated before
they reach it (`adapters.block_schemas`); here only their number and the other fields."""

from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.pages.blocks import MAX_BLOCKS
from domain.pages.events import TemplateChanged, TemplateDeleted, TemplateSaved

TEMPLATE_KIND = "template"
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_TAGS = 20
MAX_TAG = 50


def check_name(name: str) -> str:
    """A name on one line (runs of spaces made one), 1 to `MAX_NAME` characters."""
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= MAX_NAME:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME} characters")
    return cleaned


def check_description(description: str, limit: int = MAX_DESCRIPTION) -> str:
    if len(description) > limit:
        raise InvalidCommandError(f"description must be at most {limit} characters")
    return description.strip()


def check_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(" ".join(t.split()).lower() for t in tags))
    if len(cleaned) > MAX_TAGS or any(not 1 <= len(t) <= MAX_TAG for t in cleaned):
        raise InvalidCommandError(f"tags must be at most {MAX_TAGS}, each 1 to {MAX_TAG}"
                                  " characters")
    return cleaned


def check_block_count(blocks: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    if len(blocks) > MAX_BLOCKS:
        raise InvalidCommandError(f"blocks must be at most {MAX_BLOCKS}")
    return blocks


class PageTemplate(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.name = ""
        self.description = ""
        self.blocks: tuple[dict[str, Any], ...] = ()
        self.tags: tuple[str, ...] = ()
        self.live = False

    def save(self, *, org_id: UUID, number: int, name: str, description: str,
             blocks: tuple[dict[str, Any], ...], tags: tuple[str, ...]) -> None:
        self._record(TemplateSaved(
            org_id=org_id, number=number, name=check_name(name),
            description=check_description(description), blocks=check_block_count(blocks),
            tags=check_tags(tags)))

    def change(self, org_id: UUID, *, name: str | None, description: str | None,
               blocks: tuple[dict[str, Any], ...] | None, tags: tuple[str, ...] | None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new = (self.name if name is None else check_name(name),
               self.description if description is None else check_description(description),
               self.blocks if blocks is None else check_block_count(blocks),
               self.tags if tags is None else check_tags(tags))
        if new == (self.name, self.description, self.blocks, self.tags):
            return False
        self._record(TemplateChanged(org_id=org_id, number=self.number, name=new[0],
                                     description=new[1], blocks=new[2], tags=new[3]))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(TemplateDeleted(org_id=org_id, number=self.number))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("template not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case TemplateSaved() | TemplateChanged():
                self.org_id, self.number, self.name = event.org_id, event.number, event.name
                self.description, self.blocks, self.tags = (event.description, event.blocks,
                                                            event.tags)
                self.live = True
            case TemplateDeleted():
                self.live = False
            case _:
                pass

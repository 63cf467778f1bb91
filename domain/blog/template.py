"""A blog template: how the organization's blog posts are written (tone, structure, custom
instructions). At most one is the default: making one the default is recorded on it, and
the read model clears the flag of the others."""

from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.blog.events import BlogTemplateChanged, BlogTemplateCreated, BlogTemplateDeleted
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_TONE = 100
MAX_INSTRUCTIONS = 10000
MAX_STRUCTURE_KEYS = 100


def _text(value: str, field: str, low: int, high: int) -> str:
    text = value.strip()
    if not low <= len(text) <= high:
        raise InvalidCommandError(f"{field} must be {low} to {high} characters")
    return text


def check_structure(structure: dict[str, Any]) -> dict[str, Any]:
    if len(structure) > MAX_STRUCTURE_KEYS:
        raise InvalidCommandError(f"structure must have at most {MAX_STRUCTURE_KEYS} keys")
    return structure


Fields = tuple[str, str, str, dict[str, Any], str, bool]


def checked(name: str, description: str, tone: str, structure: dict[str, Any],
            custom_instructions: str, is_default: bool) -> Fields:
    return (_text(name, "name", 1, MAX_NAME), _text(description, "description", 0,
                                                    MAX_DESCRIPTION),
            _text(tone, "tone", 0, MAX_TONE), check_structure(structure),
            _text(custom_instructions, "custom_instructions", 0, MAX_INSTRUCTIONS), is_default)


class BlogTemplate(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.fields: Fields = ("", "", "", {}, "", False)
        self.live = False

    def create(self, *, org_id: UUID, name: str, description: str, tone: str,
               structure: dict[str, Any], custom_instructions: str, is_default: bool) -> None:
        f = checked(name, description, tone, structure, custom_instructions, is_default)
        self._record(BlogTemplateCreated(
            org_id=org_id, name=f[0], description=f[1], tone=f[2], structure=f[3],
            custom_instructions=f[4], is_default=f[5]))

    def change(self, org_id: UUID, changes: dict[str, Any]) -> bool:
        """Apply the fields given (by name); False when nothing changes."""
        self.check_is_live(org_id)
        names = ("name", "description", "tone", "structure", "custom_instructions",
                 "is_default")
        merged: dict[str, Any] = dict(zip(names, tuple(self.fields), strict=True))
        merged.update({k: v for k, v in changes.items() if k in merged and v is not None})
        f = checked(**merged)
        if f == tuple(self.fields):
            return False
        self._record(BlogTemplateChanged(
            org_id=org_id, name=f[0], description=f[1], tone=f[2], structure=f[3],
            custom_instructions=f[4], is_default=f[5]))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(BlogTemplateDeleted(org_id=org_id))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("blog template not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case BlogTemplateCreated() | BlogTemplateChanged():
                self.org_id = event.org_id
                self.fields = (event.name, event.description, event.tone,
                               dict(event.structure), event.custom_instructions,
                               event.is_default)
                self.live = True
            case BlogTemplateDeleted():
                self.live = False
            case _:
                pass

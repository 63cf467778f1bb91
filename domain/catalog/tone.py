"""A writing tone an organization defines for its generation runs (besides the built-in ones)."""

import re
from uuid import UUID

from domain.aggregate import Aggregate
from domain.catalog.events import ToneCreated, ToneDeleted
from domain.errors import AlreadyExistsError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,49}")
MAX_NAME_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 500
MAX_PROMPT_LENGTH = 4000


def check_tone_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidCommandError(
            "id must be 1 to 50 lower-case letters, digits, '-' or '_', starting with a letter"
            " or digit")
    return key


def _text(value: str, field: str, low: int, high: int) -> str:
    text = value.strip()
    if not low <= len(text) <= high:
        raise InvalidCommandError(f"{field} must be {low} to {high} characters")
    return text


class CustomTone(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.key = ""
        self.live = False

    def create(self, *, org_id: UUID, key: str, name: str, description: str,
               system_prompt: str) -> None:
        """Define the tone; a deleted tone's id may be used again."""
        if self.live:
            raise AlreadyExistsError(f"a tone with id {key!r} already exists")
        self._record(ToneCreated(
            org_id=org_id, key=check_tone_key(key), name=_text(name, "name", 1, MAX_NAME_LENGTH),
            description=_text(description, "description", 0, MAX_DESCRIPTION_LENGTH),
            system_prompt=_text(system_prompt, "system_prompt", 1, MAX_PROMPT_LENGTH),
        ))

    def delete(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("tone not found")
        self._record(ToneDeleted(org_id=org_id, key=self.key))

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case ToneCreated():
                self.org_id = event.org_id
                self.key = event.key
                self.live = True
            case ToneDeleted():
                self.live = False
            case _:
                pass

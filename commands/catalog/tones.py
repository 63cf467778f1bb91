"""Catalog commands on an organization's custom tones."""

import dataclasses
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.catalog.ids import tone_id
from domain.catalog.tone import CustomTone, check_tone_key


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateTone:
    """`key`: the tone's id as the organization names it (lower-case, e.g. "warm-expert")."""

    org_id: UUID
    key: str
    name: str
    description: str
    system_prompt: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteTone:
    org_id: UUID
    key: str


def create_tone(uow: UnitOfWork, cmd: CreateTone) -> CustomTone:
    """Define a tone; ConflictError when the organization has one with this id."""
    tone = uow.get(CustomTone, tone_id(cmd.org_id, check_tone_key(cmd.key)))
    tone.create(org_id=cmd.org_id, key=cmd.key, name=cmd.name, description=cmd.description,
                system_prompt=cmd.system_prompt)
    return tone


def delete_tone(uow: UnitOfWork, cmd: DeleteTone) -> CustomTone:
    """Delete one of the organization's tones; NotFoundError when it has none by this id."""
    tone = uow.get(CustomTone, tone_id(cmd.org_id, cmd.key))
    tone.delete(cmd.org_id)
    return tone

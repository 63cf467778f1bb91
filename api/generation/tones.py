"""`/api/v1/organization/tones`: the organization's custom writing tones (admins define them)."""

from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, post

from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from commands.catalog.tones import CreateTone, DeleteTone, create_tone, delete_tone
from domain.catalog.tone import MAX_PROMPT_LENGTH
from domain.errors import ConflictError, NotFoundError
from domain.generation.tones import TONES
from projections.catalog.queries import ToneRow, get_tone, list_tones

WAIT_FOR = ("catalog",)


class ToneIn(msgspec.Struct):
    id: Annotated[str, msgspec.Meta(max_length=50)]
    name: Annotated[str, msgspec.Meta(max_length=1000)]
    system_prompt: Annotated[str, msgspec.Meta(max_length=MAX_PROMPT_LENGTH * 2)]
    description: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class ToneOut(msgspec.Struct):
    id: str
    name: str
    description: str
    system_prompt: str

    @classmethod
    def of(cls, tone: ToneRow) -> "ToneOut":
        return cls(id=tone.key, name=tone.name, description=tone.description,
                   system_prompt=tone.system_prompt)


class ToneDeletedOut(msgspec.Struct):
    id: str
    deleted: bool


@get("/api/v1/organization/tones", operation_id="list_custom_tones", tags=["organization"],
     summary="List custom tones", dependencies=AUTHENTICATED)
async def read_custom_tones(services: AppServices, principal: Caller) -> list[ToneOut]:
    """The organization's own tones, by id."""
    async with services.pool.connection() as conn:
        return [ToneOut.of(t) for t in await list_tones(conn, principal.org_id)]


@post("/api/v1/organization/tones", operation_id="create_custom_tone", tags=["organization"],
      status_code=200, summary="Create custom tone", dependencies=AUTHENTICATED,
      guards=[admin_only])
async def create_custom_tone(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: ToneIn,
) -> ToneOut:
    """Define a tone (admin); 409 when the organization has one with this id, or a built-in
    tone has it."""
    if data.id in TONES:
        raise ConflictError(f"{data.id!r} is a built-in tone")
    await run_command(request, principal, create_tone, CreateTone(
        org_id=principal.org_id, key=data.id, name=data.name, description=data.description,
        system_prompt=data.system_prompt), wait_for=WAIT_FOR)
    async with services.pool.connection() as conn:
        tone = await get_tone(conn, principal.org_id, data.id)
    if tone is None:  # the read model is late; the tone exists all the same
        return ToneOut(id=data.id, name=data.name.strip(), description=data.description.strip(),
                       system_prompt=data.system_prompt.strip())
    return ToneOut.of(tone)


@delete("/api/v1/organization/tones/{tone_id:str}", operation_id="delete_custom_tone",
        tags=["organization"], status_code=200, summary="Delete custom tone",
        dependencies=AUTHENTICATED, guards=[admin_only])
async def delete_custom_tone(
    request: Request[Any, Any, Any], principal: Caller, tone_id: str,
) -> ToneDeletedOut:
    """Delete one of the organization's tones (admin); 404 when it has none by this id."""
    if len(tone_id) > 50:
        raise NotFoundError("tone not found")
    await run_command(request, principal, delete_tone,
                      DeleteTone(org_id=principal.org_id, key=tone_id), wait_for=WAIT_FOR)
    return ToneDeletedOut(id=tone_id, deleted=True)


ROUTES = [read_custom_tones, create_custom_tone, delete_custom_tone]

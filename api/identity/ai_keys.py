"""`/api/v1/organization/api-keys`: the organization's own AI provider keys (BYOK), admin only.

A key is sealed here with the secret box and travels to the store beside its event; no answer,
event or log ever holds it: the organization shows which providers have one, and this route's
GET a masked hint of each.
"""

from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Request, get, patch
from litestar.datastructures import CacheControlHeader

from adapters.llm_keys import organization_key_hints
from adapters.secret_box import SecretBox
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from api.identity.organization import OrganizationResponse, load_organization, organization_response
from commands.identity.ai_keys import (
    ChangeOrganizationAiKeys,
    SealedKey,
    change_organization_ai_keys,
)
from domain.errors import InvalidCommandError
from domain.identity.organization import AI_KEY_PROVIDERS

MIN_KEY_LENGTH, MAX_KEY_LENGTH = 8, 500
Key = Annotated[str | msgspec.UnsetType | None, msgspec.Meta(
    description="a new key; null or an empty string removes it, absent keeps it")]


class AiKeysIn(msgspec.Struct):
    """Absent keeps a provider's key; null or an empty string removes it."""

    anthropic_api_key: Key = msgspec.UNSET
    deepseek_api_key: Key = msgspec.UNSET
    google_api_key: Key = msgspec.UNSET
    openai_api_key: Key = msgspec.UNSET


class AiKeyOut(msgspec.Struct):
    provider: str
    has_key: bool
    hint: str | None


def _check_key(provider: str, key: str) -> str:
    if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH or not key.isascii() \
            or any(c.isspace() or not c.isprintable() for c in key):
        raise InvalidCommandError(f"{provider}_api_key must be {MIN_KEY_LENGTH} to"
                                  f" {MAX_KEY_LENGTH} printable characters without spaces")
    return key


def _sealed(box: SecretBox, data: AiKeysIn) -> dict[str, SealedKey | None]:
    changes: dict[str, SealedKey | None] = {}
    for provider in AI_KEY_PROVIDERS:
        value = getattr(data, f"{provider}_api_key")
        if isinstance(value, msgspec.UnsetType):
            continue
        key = (value or "").strip()
        changes[provider] = (SealedKey(ciphertext=box.seal(_check_key(provider, key)),
                                       fingerprint=box.fingerprint(key)) if key else None)
    return changes


@patch("/api/v1/organization/api-keys", operation_id="update_organization_api_keys",
       tags=["organization"], summary="Update organization API keys", dependencies=AUTHENTICATED,
       guards=[admin_only], cache_control=CacheControlHeader(no_store=True))
async def update_ai_keys(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: AiKeysIn,
) -> OrganizationResponse:
    """Set or remove the organization's own keys (admin); the organization, never a key."""
    box = SecretBox(services.settings.secret_key)
    changes = await anyio.to_thread.run_sync(lambda: _sealed(box, data))
    if changes:
        await run_command(request, principal, change_organization_ai_keys,
                          ChangeOrganizationAiKeys(org_id=principal.org_id, keys=changes),
                          wait_for=("identity",))
    return organization_response(await load_organization(services, principal.org_id))


@get("/api/v1/organization/api-keys", operation_id="list_organization_api_keys",
     tags=["organization"], summary="List organization API keys (masked)",
     dependencies=AUTHENTICATED, guards=[admin_only], cache_control=CacheControlHeader(no_store=True))
async def read_ai_keys(services: AppServices, principal: Caller) -> list[AiKeyOut]:
    """Per provider, whether the organization has a key and its last characters (admin)."""
    async with services.pool.connection() as conn:
        hints = await organization_key_hints(conn, SecretBox(services.settings.secret_key),
                                             principal.org_id)
    return [AiKeyOut(provider=p, has_key=p in hints, hint=hints.get(p)) for p in AI_KEY_PROVIDERS]


ROUTES = [update_ai_keys, read_ai_keys]

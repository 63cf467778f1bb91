"""`/api/v1/api-keys`: the organization's API keys (a signed-in admin only).

The raw key is made here, answered once, and never stored: the command carries its
SHA-256 (written beside the events) and its public prefix.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, patch, post
from litestar.datastructures import CacheControlHeader

from adapters.passwords import token_hash
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_user_only
from api.services import Services
from api.tokens import API_KEY_PREFIX_LENGTH, new_api_key
from commands.identity.api_keys import (
    CreateApiKey,
    DeactivateApiKey,
    DeleteApiKey,
    create_api_key,
    deactivate_api_key,
    delete_api_key,
)
from domain.errors import NotFoundError
from domain.identity.api_key import ApiKey
from projections.identity.queries import ApiKeyRow, get_api_key, list_api_keys


class ApiKeyCreate(msgspec.Struct):
    name: str
    scope: Literal["all", "index"] = "all"
    """"index": the key opens only the page index (`/v1/pages/…`, `/v1/retrieve`)."""
    scopes: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]],
                      msgspec.Meta(max_length=40)] | None = None
    """`<area>:read` / `<area>:write` (write includes read), or ["all"]; over `scope`."""

    @property
    def wanted(self) -> str:
        return " ".join(self.scopes) if self.scopes is not None else self.scope


class ApiKeyResponse(msgspec.Struct):
    id: UUID
    name: str
    is_active: bool
    last_used_at: datetime | None
    created_at: datetime
    scope: str = "all"
    """"all", or the key's scopes separated by spaces."""
    scopes: list[str] = msgspec.field(default_factory=lambda: ["all"])


class NewApiKeyResponse(msgspec.Struct):
    """The only answer that ever holds the raw key."""

    id: UUID
    name: str
    key: str
    created_at: datetime
    scope: str = "all"
    """"all", or the key's scopes separated by spaces."""
    scopes: list[str] = msgspec.field(default_factory=lambda: ["all"])


def _response(key: ApiKeyRow) -> ApiKeyResponse:
    return ApiKeyResponse(id=key.id, name=key.name, is_active=key.is_active,
                          last_used_at=key.last_used_at, created_at=key.created_at,
                          scope=key.scope, scopes=key.scope.split())


async def _find_key(services: Services, org_id: UUID, key_id: UUID) -> ApiKeyRow:
    async with services.pool.connection() as conn:
        key = await get_api_key(conn, org_id, key_id)
    if key is None:
        raise NotFoundError("api key not found")
    return key


@get("/api/v1/api-keys", operation_id="list_api_keys", tags=["api-keys"],
     summary="List API keys", dependencies=AUTHENTICATED, guards=[admin_user_only])
async def read_api_keys(services: AppServices, principal: Caller) -> list[ApiKeyResponse]:
    """The organization's keys, newest first (never the keys themselves)."""
    async with services.pool.connection() as conn:
        keys = await list_api_keys(conn, principal.org_id)
    return [_response(key) for key in keys]


@post("/api/v1/api-keys", operation_id="create_api_key", tags=["api-keys"], status_code=200,
      summary="Create API key", dependencies=AUTHENTICATED, guards=[admin_user_only],
      cache_control=CacheControlHeader(no_store=True))
async def create_key(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: ApiKeyCreate,
) -> NewApiKeyResponse:
    """Make a new key; the raw key is in this answer and nowhere else, ever."""
    user_id = principal.require_user()
    raw, key_id = new_api_key(), uuid4()
    await run_command(request, principal, create_api_key, CreateApiKey(
        org_id=principal.org_id, key_id=key_id, name=data.name,
        prefix=raw[:API_KEY_PREFIX_LENGTH], key_hash=token_hash(raw), created_by=user_id,
        scope=ApiKey.check_scope(data.wanted),
    ), wait_for=("identity",))
    async with services.pool.connection() as conn:
        stored = await get_api_key(conn, principal.org_id, key_id)
    if stored is None:  # the projection is late; the key exists all the same
        scope = ApiKey.check_scope(data.wanted)
        return NewApiKeyResponse(id=key_id, name=data.name.strip(), key=raw,
                                 created_at=datetime.now(UTC), scope=scope, scopes=scope.split())
    return NewApiKeyResponse(id=key_id, name=stored.name, key=raw, created_at=stored.created_at,
                             scope=stored.scope, scopes=stored.scope.split())


@delete("/api/v1/api-keys/{key_id:uuid}", operation_id="delete_api_key", tags=["api-keys"],
        summary="Delete API key", dependencies=AUTHENTICATED, guards=[admin_user_only])
async def delete_key(
    request: Request[Any, Any, Any], principal: Caller, key_id: UUID,
) -> None:
    """Delete a key: it stops working at once and is no longer listed; 204."""
    await run_command(request, principal, delete_api_key,
                      DeleteApiKey(org_id=principal.org_id, key_id=key_id),
                      wait_for=("identity",))


@patch("/api/v1/api-keys/{key_id:uuid}/deactivate", operation_id="deactivate_api_key",
       tags=["api-keys"], summary="Deactivate API key", dependencies=AUTHENTICATED,
       guards=[admin_user_only])
async def deactivate_key(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, key_id: UUID,
) -> ApiKeyResponse:
    """Stop a key from authenticating; it stays listed as inactive."""
    await run_command(request, principal, deactivate_api_key,
                      DeactivateApiKey(org_id=principal.org_id, key_id=key_id),
                      wait_for=("identity",))
    return _response(await _find_key(services, principal.org_id, key_id))


ROUTES = [read_api_keys, create_key, delete_key, deactivate_key]

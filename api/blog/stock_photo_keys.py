"""`/api/v1/stock-photo-keys`: the organization's own keys (BYOK) for Unsplash and Pexels.
A key is sealed at rest and never shown again: answers carry its keyed fingerprint only.
`provider_keys` gives the searches the key to use per provider."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
import structlog
from litestar import Request, delete, get, patch, post

from adapters.postgres import secrets
from adapters.secret_box import SecretBox
from adapters.stock_photos.search import platform_keys
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from commands.blog import stock_photo_keys as handlers
from domain.blog.stock_photo_key import MAX_KEY, check_api_key
from domain.errors import NotFoundError
from projections.blog.media_queries import (
    StockPhotoKeyRow,
    get_stock_photo_key,
    list_stock_photo_keys,
)

log = structlog.get_logger("copydesk.blog")
WAIT_FOR = ("blog_media",)
KEYS_PATH = "/api/v1/stock-photo-keys"
KEY_PATH = KEYS_PATH + "/{key_id:uuid}"
_KEY = Annotated[str, msgspec.Meta(max_length=MAX_KEY * 2)]


class KeyIn(msgspec.Struct):
    provider: Annotated[str, msgspec.Meta(max_length=40)]
    api_key: _KEY
    is_active: bool = True


class KeyChange(msgspec.Struct):
    """Only the fields given change; a new `api_key` replaces the sealed one."""

    api_key: _KEY | None = None
    is_active: bool | None = None


class KeyOut(msgspec.Struct):
    id: UUID
    organization_id: UUID
    provider: str
    is_active: bool
    key_fingerprint: str
    """A keyed digest of the key: tells two keys apart, reveals neither."""
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: StockPhotoKeyRow) -> "KeyOut":
        return cls(id=row.id, organization_id=row.org_id, provider=row.provider,
                   is_active=row.is_active, key_fingerprint=row.key_fingerprint,
                   created_at=row.created_at, updated_at=row.updated_at)


def _sealed(services: AppServices, api_key: str) -> handlers.SealedKey:
    box = SecretBox(services.settings.secret_key)
    clean = check_api_key(api_key)
    return handlers.SealedKey(ciphertext=box.seal(clean), fingerprint=box.fingerprint(clean))


async def _find(services: AppServices, principal: Caller, key_id: UUID) -> KeyOut:
    async with services.pool.connection() as conn:
        row = await get_stock_photo_key(conn, principal.org_id, key_id)
    if row is None:
        raise NotFoundError("stock photo key not found")
    return KeyOut.of(row)


async def provider_keys(services: AppServices, org_id: UUID) -> dict[str, str]:
    """Provider → key in clear: the organization's active key (the latest changed), else
    the platform's; providers with neither are left out."""
    keys = platform_keys(services.settings)
    box = SecretBox(services.settings.secret_key)
    async with services.pool.connection() as conn:
        rows = sorted((r for r in await list_stock_photo_keys(conn, org_id) if r.is_active),
                      key=lambda r: r.updated_at)
        for row in rows:
            sealed = await secrets.sealed(conn, row.id, handlers.KEY_PURPOSE, org_id)
            try:
                if sealed is not None:
                    keys[row.provider] = box.open(sealed)
            except ValueError:
                log.warning("stock_photo_key_unreadable", key_id=str(row.id))
    return keys


@get(KEYS_PATH, operation_id="list_stock_photo_keys", tags=["blog"],
     summary="List stock photo keys", dependencies=AUTHENTICATED)
async def read_keys(services: AppServices, principal: Caller) -> list[KeyOut]:
    """The organization's stock-photo provider keys, oldest first (fingerprints only)."""
    async with services.pool.connection() as conn:
        return [KeyOut.of(r) for r in await list_stock_photo_keys(conn, principal.org_id)]


@post(KEYS_PATH, operation_id="create_stock_photo_key", tags=["blog"], status_code=200,
      summary="Add stock photo key", dependencies=AUTHENTICATED)
async def create_key(request: Request[Any, Any, Any], services: AppServices,
                     principal: Caller, data: KeyIn) -> KeyOut:
    """Keep a key for `unsplash` (its Access Key) or `pexels`, sealed; never shown again."""
    key_id = uuid4()
    await run_command(request, principal, handlers.add_stock_photo_key,
                      handlers.AddStockPhotoKey(
                          org_id=principal.org_id, key_id=key_id, provider=data.provider,
                          key=_sealed(services, data.api_key), is_active=data.is_active),
                      wait_for=WAIT_FOR)
    return await _find(services, principal, key_id)


@patch(KEY_PATH, operation_id="update_stock_photo_key", tags=["blog"],
       summary="Update stock photo key", dependencies=AUTHENTICATED)
async def update_key(request: Request[Any, Any, Any], services: AppServices,
                     principal: Caller, key_id: UUID, data: KeyChange) -> KeyOut:
    key = None if data.api_key is None else _sealed(services, data.api_key)
    await run_command(request, principal, handlers.change_stock_photo_key,
                      handlers.ChangeStockPhotoKey(org_id=principal.org_id, key_id=key_id,
                                                   key=key, is_active=data.is_active),
                      wait_for=WAIT_FOR)
    return await _find(services, principal, key_id)


@delete(KEY_PATH, operation_id="delete_stock_photo_key", tags=["blog"],
        summary="Delete stock photo key", dependencies=AUTHENTICATED)
async def delete_key(request: Request[Any, Any, Any], principal: Caller, key_id: UUID) -> None:
    """Forget the key and its sealed secret."""
    await run_command(request, principal, handlers.delete_stock_photo_key,
                      handlers.DeleteStockPhotoKey(org_id=principal.org_id, key_id=key_id),
                      wait_for=WAIT_FOR)


ROUTES = [read_keys, create_key, update_key, delete_key]

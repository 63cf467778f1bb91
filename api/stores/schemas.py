"""Bodies and answers of the store connection routes. Credentials come in, never out: an
answer says only `has_credentials`."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from domain.stores import connection as rules
from projections.stores.queries import ConnectionRow

_NAME = Annotated[str, msgspec.Meta(max_length=rules.MAX_NAME_LENGTH * 4)]
_URL = Annotated[str, msgspec.Meta(max_length=rules.MAX_URL_LENGTH * 2)]
_SHORT = Annotated[str, msgspec.Meta(max_length=40)]
_SECRET = Annotated[str, msgspec.Meta(max_length=2000)] | None
MIN_SECRET_LENGTH = 4


class ConnectionIn(msgspec.Struct):
    name: _NAME
    platform: _SHORT
    base_url: _URL
    access_token: _SECRET = None
    """Shopify's Admin API access token, or a Magento integration's access token."""
    consumer_key: _SECRET = None
    """WooCommerce REST API consumer key (with `consumer_secret`)."""
    consumer_secret: _SECRET = None
    auto_sync: bool = False
    """Write an item to the store as soon as it is approved in a linked project."""


class ConnectionChange(msgspec.Struct):
    """Only the fields given change; a credential given replaces the held one."""

    name: _NAME | None = None
    base_url: _URL | None = None
    access_token: _SECRET = None
    consumer_key: _SECRET = None
    consumer_secret: _SECRET = None
    status: _SHORT | None = None
    """pending, active, error or inactive."""
    auto_sync: bool | None = None
    """On: an item approved in a linked project from now on is written to the store by the
    auto-sync worker; off: only when asked (`POST …/sync`)."""


class ConnectionOut(msgspec.Struct):
    id: UUID
    name: str
    platform: str
    base_url: str
    status: str
    has_credentials: bool
    last_connected_at: datetime | None
    created_at: datetime
    updated_at: datetime
    project_count: int
    auto_sync: bool

    @classmethod
    def of(cls, row: ConnectionRow) -> "ConnectionOut":
        return cls(id=row.id, name=row.name, platform=row.platform, base_url=row.base_url,
                   status=row.status, has_credentials=row.has_credentials,
                   last_connected_at=row.last_connected_at, created_at=row.created_at,
                   updated_at=row.updated_at, project_count=row.project_count,
                   auto_sync=row.auto_sync)


class ConnectionTestOut(msgspec.Struct):
    success: bool
    message: str
    store_name: str | None

"""`/api/v1/store-connections`: the organization's connections to its stores (Shopify,
WooCommerce, Magento 2). Credentials are sealed here with the secret box and travel to the
store beside the event; no answer, event or log holds them. `auto_sync` (default off) has
the auto-sync subscriber write each item approved in a linked project. `…/{id}/test` calls the store
live and sets the status active or error. A connection linked to a project (by the
project's `store_connection_id`) is not deleted: 409 until every project is unlinked."""

from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
from litestar import Request, delete, get, patch, post

from adapters.secret_box import SecretBox
from adapters.stores.clients import (
    client_for,
    connection_credentials,
    seal_credentials,
    store_policy,
)
from adapters.stores.http import StoreAuthError, StoreError, StoreHttp
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.stores.schemas import (
    MIN_SECRET_LENGTH,
    ConnectionChange,
    ConnectionIn,
    ConnectionOut,
    ConnectionTestOut,
)
from commands.stores import connections as handlers
from domain.errors import InvalidCommandError, NotFoundError
from domain.stores.connection import CREDENTIAL_FIELDS, check_platform
from domain.stores.errors import MissingCredentialsError
from projections.stores.queries import ConnectionRow, get_connection, list_connections

WAIT_FOR = ("stores",)
CONNECTIONS_PATH = "/api/v1/store-connections"
CONNECTION_PATH = CONNECTIONS_PATH + "/{connection_id:uuid}"
ALL_FIELDS = ("access_token", "consumer_key", "consumer_secret")


def credentials_given(platform: str, data: ConnectionIn | ConnectionChange,
                      held: dict[str, str] | None = None) -> dict[str, str] | None:
    """The platform's credentials after this request (the given ones over `held`), or None
    when none are given; 422 naming a field the platform does not take, or one missing."""
    given = {f: v.strip() for f in ALL_FIELDS if (v := getattr(data, f)) and v.strip()}
    if not given:
        return None
    fields = CREDENTIAL_FIELDS[platform]
    for field, value in given.items():
        if field not in fields:
            raise InvalidCommandError(f"{field}: a {platform} connection takes only"
                                      f" {' and '.join(fields)}")
        if len(value) < MIN_SECRET_LENGTH or any(c.isspace() or not c.isprintable()
                                                 for c in value):
            raise InvalidCommandError(f"{field} must be at least {MIN_SECRET_LENGTH}"
                                      " printable characters without spaces")
    merged = {**(held or {}), **given}
    missing = [f for f in fields if not merged.get(f)]
    if missing:
        raise MissingCredentialsError(f"{missing[0]} is required with {', '.join(given)}")
    return {f: merged[f] for f in fields}


async def _sealed(box: SecretBox,
                  credentials: dict[str, str] | None) -> handlers.SealedCredentials | None:
    if credentials is None:
        return None
    ciphertext, fingerprint = await anyio.to_thread.run_sync(
        lambda: seal_credentials(box, credentials))
    return handlers.SealedCredentials(ciphertext=ciphertext, fingerprint=fingerprint)


async def find_connection(services: AppServices, org_id: UUID,
                          connection_id: UUID) -> ConnectionRow:
    async with services.pool.connection() as conn:
        row = await get_connection(conn, org_id, connection_id)
    if row is None:
        raise NotFoundError("store connection not found")
    return row


@get(CONNECTIONS_PATH, operation_id="list_store_connections", tags=["store-connections"],
     summary="List store connections", dependencies=AUTHENTICATED)
async def read_connections(services: AppServices, principal: Caller) -> list[ConnectionOut]:
    """The organization's store connections, oldest first, each with its linked projects'
    count."""
    async with services.pool.connection() as conn:
        return [ConnectionOut.of(r) for r in await list_connections(conn, principal.org_id)]


@post(CONNECTIONS_PATH, operation_id="create_store_connection", tags=["store-connections"],
      status_code=200, summary="Create store connection", dependencies=AUTHENTICATED)
async def create_connection(request: Request[Any, Any, Any], services: AppServices,
                            principal: Caller, data: ConnectionIn) -> ConnectionOut:
    """A connection in status pending (until tested); `platform` shopify, woocommerce or
    magento2; credentials: `access_token` (Shopify, Magento) or `consumer_key` and
    `consumer_secret` (WooCommerce); 422 naming a field that is wrong or missing."""
    platform = check_platform(data.platform)
    sealed = await _sealed(SecretBox(services.settings.secret_key),
                           credentials_given(platform, data))
    connection_id = uuid4()
    await run_command(request, principal, handlers.create_store_connection,
                      handlers.CreateStoreConnection(
                          org_id=principal.org_id, connection_id=connection_id, name=data.name,
                          platform=platform, base_url=data.base_url, credentials=sealed,
                          auto_sync=data.auto_sync),
                      wait_for=WAIT_FOR)
    return ConnectionOut.of(await find_connection(services, principal.org_id, connection_id))


@get(CONNECTION_PATH, operation_id="get_store_connection", tags=["store-connections"],
     summary="Get store connection", dependencies=AUTHENTICATED)
async def read_connection(services: AppServices, principal: Caller,
                          connection_id: UUID) -> ConnectionOut:
    """One connection; 404 when the organization has none by this id."""
    return ConnectionOut.of(await find_connection(services, principal.org_id, connection_id))


@patch(CONNECTION_PATH, operation_id="update_store_connection", tags=["store-connections"],
       summary="Update store connection", dependencies=AUTHENTICATED)
async def update_connection(request: Request[Any, Any, Any], services: AppServices,
                            principal: Caller, connection_id: UUID,
                            data: ConnectionChange) -> ConnectionOut:
    """Change the given fields; new credentials or a new URL make the connection pending
    until its next test. `auto_sync` on: items approved from now on in a linked project are
    written to the store by the auto-sync worker."""
    row = await find_connection(services, principal.org_id, connection_id)
    box = SecretBox(services.settings.secret_key)
    held = None
    if any(getattr(data, f) for f in ALL_FIELDS):
        async with services.pool.connection() as conn:
            held = await connection_credentials(conn, box, principal.org_id, connection_id)
    sealed = await _sealed(box, credentials_given(row.platform, data, held))
    await run_command(request, principal, handlers.change_store_connection,
                      handlers.ChangeStoreConnection(
                          org_id=principal.org_id, connection_id=connection_id, name=data.name,
                          base_url=data.base_url, status=data.status, credentials=sealed,
                          auto_sync=data.auto_sync),
                      wait_for=WAIT_FOR)
    return ConnectionOut.of(await find_connection(services, principal.org_id, connection_id))


@delete(CONNECTION_PATH, operation_id="delete_store_connection", tags=["store-connections"],
        summary="Delete store connection", dependencies=AUTHENTICATED)
async def delete_connection(request: Request[Any, Any, Any], principal: Caller,
                            connection_id: UUID) -> None:
    """Delete a connection and its credentials; 409 while a project (in the trash or not)
    is linked to it."""
    await run_command(request, principal, handlers.delete_store_connection,
                      handlers.DeleteStoreConnection(org_id=principal.org_id,
                                                     connection_id=connection_id),
                      wait_for=WAIT_FOR)


@post(CONNECTION_PATH + "/test", operation_id="test_store_connection",
      tags=["store-connections"], status_code=200, summary="Test store connection",
      dependencies=AUTHENTICATED)
async def test_connection(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, connection_id: UUID) -> ConnectionTestOut:
    """Call the store with the held credentials: `success` and the store's name, or why
    not (unreachable, refused credentials, an address that may not be reached)."""
    row = await find_connection(services, principal.org_id, connection_id)
    async with services.pool.connection() as conn:
        credentials = await connection_credentials(
            conn, SecretBox(services.settings.secret_key), principal.org_id, connection_id)
    store_name: str | None = None
    if credentials is None:
        success, message = False, "the connection has no credentials"
    else:
        client = client_for(row.platform, row.base_url, credentials,
                            StoreHttp(store_policy(services.settings), retries=1))
        try:
            store_name = await client.shop_name() or None
            success, message = True, "connected"
        except StoreAuthError:
            success, message = False, "the store refused the credentials"
        except StoreError as error:
            success, message = False, str(error)
    await run_command(request, principal, handlers.record_connection_test,
                      handlers.RecordConnectionTest(
                          org_id=principal.org_id, connection_id=connection_id,
                          success=success, message=message, store_name=store_name),
                      wait_for=WAIT_FOR)
    return ConnectionTestOut(success=success, message=message, store_name=store_name)


ROUTES = [read_connections, create_connection, read_connection, update_connection,
          delete_connection, test_connection]

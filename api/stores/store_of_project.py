"""The store client of a project's linked connection, for a route that calls the store."""

from uuid import UUID

from adapters.secret_box import SecretBox
from adapters.stores.clients import client_for, connection_credentials, store_policy
from adapters.stores.http import StoreAuthError, StoreError, StoreHttp
from adapters.stores.reading import Client
from api.dependencies import AppServices
from commands.stores.imports import NO_CONNECTION
from domain.errors import InvalidCommandError, NotFoundError, UnavailableError
from projections.catalog.queries import ProjectRow, get_project
from projections.stores.queries import get_connection

RETRY_AFTER = 30


async def project_store(services: AppServices, org_id: UUID, project_id: UUID,
                        retries: int = 1) -> tuple[ProjectRow, Client]:
    """The organization's project and its store's client: 404 for another organization's
    project, 422 when it has no (or a deleted) connection or the connection no
    credentials."""
    async with services.pool.connection() as conn:
        project = await get_project(conn, org_id, project_id)
        if project is None or project.deleted_at is not None:
            raise NotFoundError("project not found")
        if project.store_connection_id is None:
            raise InvalidCommandError(NO_CONNECTION)
        connection = await get_connection(conn, org_id, project.store_connection_id)
        if connection is None:
            raise InvalidCommandError(NO_CONNECTION)
        credentials = await connection_credentials(
            conn, SecretBox(services.settings.secret_key), org_id, connection.id)
    if credentials is None:
        raise InvalidCommandError("the project's store connection has no credentials")
    return project, client_for(connection.platform, connection.base_url, credentials,
                               StoreHttp(store_policy(services.settings), retries=retries))


def store_failure(error: StoreError) -> Exception:
    """422 for refused credentials, 503 (try again later) for a store that cannot answer."""
    if isinstance(error, StoreAuthError):
        return InvalidCommandError("the store refused the credentials; test the connection")
    return UnavailableError(f"the store cannot be reached: {error}", retry_after=RETRY_AFTER)

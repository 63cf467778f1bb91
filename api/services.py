"""The services one API process uses, made once at start-up from the settings."""

import asyncio
import contextlib
import dataclasses
from collections.abc import Awaitable, Callable
from uuid import UUID

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from adapters.embeddings import Embedder
from adapters.embeddings.factory import embedder_for
from adapters.embeddings.local import LocalE5Embedder
from adapters.embeddings.organization import OrganizationEmbedders
from adapters.postgres.event_store import PostgresEventStore
from adapters.postgres.page_views import ViewBuffer
from adapters.settings import Settings
from api.consistency import ProjectionPositions
from api.principal_cache import PrincipalCache
from commands.bus import CommandBus
from commands.jobs.kind import JobKind
from commands.jobs.kinds import load_kinds
from domain.errors import NotFoundError
from projections.catalog.queries import get_project

ProjectGuard = Callable[[AsyncConnection, UUID, UUID], Awaitable[None]]
"""`guard(conn, org_id, project_id)`: NotFoundError unless the organization has the project."""


async def catalog_project(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> None:
    """The project must be the organization's and not in the trash."""
    project = await get_project(conn, org_id, project_id)
    if project is None or project.deleted_at is not None:
        raise NotFoundError("project not found")


@dataclasses.dataclass
class Services:
    settings: Settings
    store: PostgresEventStore
    bus: CommandBus
    pool: AsyncConnectionPool
    positions: ProjectionPositions
    principals: PrincipalCache
    job_kinds: dict[str, JobKind] = dataclasses.field(default_factory=dict)
    """The job kinds the API accepts (the workers must run the same)."""
    project_guard: ProjectGuard = catalog_project
    embedder: Embedder = dataclasses.field(default_factory=LocalE5Embedder)
    """Embeds search queries (the embedding worker uses the same kind for the index)."""
    embedders: OrganizationEmbedders = dataclasses.field(init=False)
    """Per organization, the embedder of its queries (its own OpenAI key, else `embedder`)."""
    views: ViewBuffer = dataclasses.field(default_factory=ViewBuffer)
    """Public pages' views, written every `ViewBuffer.FLUSH_SECONDS` by `_flushing`."""
    _flushing: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.embedders = OrganizationEmbedders(self.embedder, self.settings, interactive=True)

    async def embedder_of(self, conn: AsyncConnection, org_id: UUID) -> Embedder:
        """The embedder of the organization's search queries."""
        return await self.embedders.for_org(conn, org_id)

    @classmethod
    async def start(cls, settings: Settings, project_guard: ProjectGuard | None = None) -> "Services":
        store = PostgresEventStore(settings.database_url, pool_size=8, max_overflow=32)
        pool = AsyncConnectionPool(
            settings.database_url, min_size=2, max_size=settings.db_pool_size,
            kwargs={"autocommit": True}, open=False,
        )
        await pool.open(wait=True)
        positions = ProjectionPositions(settings.database_url)
        await positions.start()
        bus = CommandBus(store, snapshot_every=settings.snapshot_every)
        services = cls(settings, store, bus, pool, positions, PrincipalCache(),
                       job_kinds=load_kinds(settings),
                       project_guard=project_guard or catalog_project,
                       embedder=embedder_for(settings, interactive=True))
        services._flushing = asyncio.create_task(services.views.run(pool))
        return services

    async def stop(self) -> None:
        if self._flushing is not None:
            self._flushing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flushing
        await self.views.flush(self.pool)
        await self.positions.stop()
        await self.embedders.close()
        await self.pool.close()
        self.store.close()

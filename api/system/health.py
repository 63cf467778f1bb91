"""`GET /api/v1/health`: version, database, NATS and how far behind each projection is."""

import asyncio
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import msgspec
from litestar import Request, get
from nats.aio.client import Client

from adapters.postgres.event_log import max_position
from api.services import Services


class ProjectionLag(msgspec.Struct):
    name: str
    position: int
    lag: int


class Health(msgspec.Struct):
    status: str
    version: str
    database: str
    nats: str
    position: int
    projections: list[ProjectionLag]


async def _nats_status(url: str) -> str:
    client = Client()
    try:
        await asyncio.wait_for(client.connect(url, allow_reconnect=False, connect_timeout=1),
                               timeout=2)
        return "ok"
    except Exception:
        return "unavailable"
    finally:
        if client.is_connected:
            await client.close()


def _version() -> str:
    try:
        return version("copydesk")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "unknown"


@get("/api/v1/health", operation_id="health", tags=["health"], summary="Service health")
async def health(request: Request[Any, Any, Any]) -> Health:
    services: Services = request.app.state.services
    database, position, projections = "ok", 0, []
    try:
        async with services.pool.connection(timeout=2) as conn:
            position = await max_position(conn)
            cur = await conn.execute("SELECT name, position FROM projection_tracking ORDER BY name")
            projections = [ProjectionLag(name, int(p), position - int(p))
                           for name, p in await cur.fetchall()]
    except Exception:
        database = "unavailable"
    nats = await _nats_status(services.settings.nats_url)
    status = "ok" if database == nats == "ok" else "degraded"
    return Health(status=status, version=_version(), database=database, nats=nats,
                  position=position, projections=projections)


ROUTES = [health]

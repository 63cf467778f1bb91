"""`GET /api/v1/health`: up or degraded, for anyone; `GET /api/v1/health/detail`: the database,
NATS, the store's position and how far behind each projection is, for an admin."""

import asyncio
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import msgspec
from litestar import Request, get
from nats.aio.client import Client

from adapters.postgres.event_log import max_position
from api.auth import AUTHENTICATED, Caller
from api.services import Services
from projections.parked import parked_count
from projections.runner import tracked_positions


class ProjectionLag(msgspec.Struct):
    """One read model: the last position it applied and how many positions it is behind."""

    name: str
    position: int
    lag: int
    parked: int = 0
    """Events it could not apply and passed over (`copydesk projections parked`)."""


class Health(msgspec.Struct):
    """`status`: "ok", or "degraded" when the database or NATS does not answer."""

    status: str
    version: str


class HealthDetail(msgspec.Struct):
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


async def _check(services: Services) -> HealthDetail:
    database, position, projections = "ok", 0, []
    try:
        async with services.pool.connection(timeout=2) as conn:
            position = await max_position(conn)
            rows = await tracked_positions(conn)
            parked = await parked_count(conn)
            projections = [ProjectionLag(name, p, position - p, parked.get(name, 0))
                           for name, p, _ in rows]
    except Exception:
        database = "unavailable"
    nats = await _nats_status(services.settings.nats_url)
    status = "ok" if database == nats == "ok" else "degraded"
    return HealthDetail(status=status, version=_version(), database=database, nats=nats,
                        position=position, projections=projections)


@get("/api/v1/health", operation_id="health", tags=["health"], summary="Service health")
async def health(request: Request[Any, Any, Any]) -> Health:
    """Up ("ok") or "degraded"; the details are for admins at `/api/v1/health/detail`."""
    checked = await _check(request.app.state.services)
    return Health(status=checked.status, version=checked.version)


@get("/api/v1/health/detail", operation_id="health_detail", tags=["health"],
     summary="Service health in detail (admin)", dependencies=AUTHENTICATED)
async def health_detail(request: Request[Any, Any, Any], principal: Caller) -> HealthDetail:
    """The database, NATS, the store's position and each projection's position and lag."""
    principal.require_admin()
    return await _check(request.app.state.services)


ROUTES = [health, health_detail]

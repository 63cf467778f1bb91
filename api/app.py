"""The Litestar application factory: routes, errors, middleware, OpenAPI, services."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, get
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from adapters.settings import Settings
from api import (
    audit,
    billing,
    blog,
    catalog,
    generation,
    identity,
    imports,
    jobs,
    pages,
    search,
    stores,
    system,
)
from api.asyncapi import asyncapi_json
from api.body_limits import JSON_MAX_BYTES, BodyLimits
from api.errors import EXCEPTION_HANDLERS
from api.idempotency import IdempotencyKeys
from api.json_lines import JsonLinesBodies
from api.middleware import RequestContext, VersionRewrite
from api.openapi import document_errors_and_security
from api.pages.public_fast_path import PublicFastPath
from api.services import ProjectGuard, Services
from api.strict_bodies import StrictJsonBodies

# one package per context; each exposes its `router`
CONTEXTS = [system, identity, billing, audit, catalog, imports, jobs, generation, search,
            stores, pages, blog]


@get("/openapi.json", include_in_schema=False, sync_to_thread=False)
def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return request.app.openapi_schema.to_schema()


def create_app(settings: Settings, *, project_guard: ProjectGuard | None = None) -> Litestar:
    """The app; `project_guard` checks that a project named in a route is the caller's
    organization's (by default every project id is accepted)."""

    @asynccontextmanager
    async def services_lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.services = await Services.start(settings, project_guard)
        try:
            yield
        finally:
            await app.state.services.stop()

    app = Litestar(
        route_handlers=[openapi_json, asyncapi_json,
                        *(context.router for context in CONTEXTS)],
        lifespan=[services_lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[DefineMiddleware(JsonLinesBodies),  # type: ignore[arg-type]
                    DefineMiddleware(StrictJsonBodies),  # type: ignore[arg-type]
                    DefineMiddleware(IdempotencyKeys)],  # type: ignore[arg-type]
        request_max_body_size=JSON_MAX_BYTES,  # upload routes set their own
        openapi_config=OpenAPIConfig(
            title="copydesk", version="1.0.0", path="/api/docs",
            render_plugins=[SwaggerRenderPlugin(path="/")],
        ),
        debug=False,
    )
    document_errors_and_security(app)
    return app


def create_asgi(settings: Settings, *, project_guard: ProjectGuard | None = None) -> Any:
    """The app behind the `/api/X` → `/api/v1/X` rewrite (it must run before routing) and the
    request context (so even a path no route matches gets its request id), then the body and
    text checks that run before anything parses the request. A visit to a public page the
    process has in memory is answered before all of them (`pages.public_fast_path`)."""
    app = create_app(settings, project_guard=project_guard)
    upload_max_bytes = int(settings.max_upload_mb * (1 << 20))
    stack = RequestContext(BodyLimits(app, upload_max_bytes=upload_max_bytes), app)
    return VersionRewrite(PublicFastPath(stack, app))

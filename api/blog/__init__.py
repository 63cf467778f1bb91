"""Blog over HTTP: WordPress connections (`/api/v1/blog-connections`) and blog templates
(`/api/v1/blog-templates`)."""

from api.blog import connections, templates
from api.routers import context_router

router = context_router([*connections.ROUTES, *templates.ROUTES])

"""Blog over HTTP: WordPress connections (`/api/v1/blog-connections`), blog templates
(`/api/v1/blog-templates`) and a project's blog posts (`/api/v1/projects/{id}/blog-posts`)."""

from api.blog import connections, posts, publishing, templates
from api.routers import context_router

router = context_router([*connections.ROUTES, *templates.ROUTES, *posts.ROUTES,
                         *publishing.ROUTES])

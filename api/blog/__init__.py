"""Blog over HTTP: WordPress connections (`/api/v1/blog-connections`), blog templates
(`/api/v1/blog-templates`), a project's blog posts (`/api/v1/projects/{id}/blog-posts`) and
their images, stock photos (`/api/v1/stock-photos/search`) and the keys for them
(`/api/v1/stock-photo-keys`)."""

from api.blog import (
    connections,
    post_images,
    post_insights,
    posts,
    publishing,
    stock_photo_keys,
    stock_photos,
    templates,
)
from api.routers import context_router

router = context_router([*connections.ROUTES, *templates.ROUTES, *posts.ROUTES,
                         *post_insights.ROUTES, *publishing.ROUTES, *stock_photo_keys.ROUTES,
                         *stock_photos.ROUTES, *post_images.ROUTES])

"""Pages over HTTP: the block registry, the design system, page templates and landing
pages (`/api/ai-pages/blocks/`, `/api/ai-pages/design-system/`, `/api/ai-pages/templates/`,
`/api/ai-pages/pages/`, `/api/ai-pages/public/pages/…`)."""

from api.pages import (
    blocks,
    builder,
    bulk_jobs,
    design_extract,
    design_system,
    exports,
    html_pages,
    landing,
    preview_images,
    public_html,
    templates,
)
from api.routers import context_router

router = context_router([*blocks.ROUTES, *design_system.ROUTES, *templates.ROUTES,
                         *landing.ROUTES, *bulk_jobs.ROUTES, *html_pages.ROUTES,
                         *public_html.ROUTES, *exports.ROUTES,
                         *design_extract.ROUTES, *builder.ROUTES, *preview_images.ROUTES])

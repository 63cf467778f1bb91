"""Pages over HTTP: the block registry, the design system and page templates
(`/api/ai-pages/blocks/`, `/api/ai-pages/design-system/`, `/api/ai-pages/templates/`)."""

from api.pages import blocks, design_system, templates
from api.routers import context_router

router = context_router([*blocks.ROUTES, *design_system.ROUTES, *templates.ROUTES])

"""Generation over HTTP: tones, reference lists, and the generate/regenerate jobs on a project."""

from api.generation import generate, reference, tones
from api.routers import context_router

router = context_router([
    *tones.ROUTES, *reference.ROUTES, *generate.ROUTES,
])

"""Generation over HTTP: tones, reference lists, and the generate/regenerate jobs on a project."""

from litestar import Router

from api.dependencies import SERVICES
from api.generation import generate, reference, tones

router = Router(path="/", dependencies=SERVICES, route_handlers=[
    *tones.ROUTES, *reference.ROUTES, *generate.ROUTES,
])

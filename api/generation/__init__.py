"""Generation over HTTP: tones, reference lists, and the generate/regenerate jobs on a project."""

from api.generation import generate, reference, tones

ROUTES = [*tones.ROUTES, *reference.ROUTES, *generate.ROUTES]

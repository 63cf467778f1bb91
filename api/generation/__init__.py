"""Generation over HTTP: generate, regenerate and regenerate-rejected jobs on a project."""

from api.generation import generate

ROUTES = [*generate.ROUTES]

"""Serves the API with uvicorn (one process per `--workers`)."""

import os

import uvicorn

from adapters.settings import Settings
from workers.runtime import child_env


def serve_api(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    os.environ.update(child_env(settings))
    uvicorn.run("api.asgi:app_factory", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, lifespan="on")

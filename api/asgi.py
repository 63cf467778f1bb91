"""The ASGI entrypoint for uvicorn (`api.asgi:app_factory`), configured from the environment."""

from typing import Any

from adapters.logging import configure_logging
from adapters.settings import Settings
from api.app import create_asgi


def app_factory() -> Any:
    settings = Settings.from_env().with_secret_key()
    configure_logging(settings.log_level)
    return create_asgi(settings)

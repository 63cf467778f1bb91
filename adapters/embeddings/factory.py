"""The embedder the settings name: the offline e5 model by default, OpenAI on request, or
none at all."""

from adapters.embeddings import Embedder
from adapters.embeddings.local import LocalE5Embedder
from adapters.embeddings.off import NoEmbedder
from adapters.embeddings.openai_embedder import OpenAIEmbedder
from adapters.llm.resilience import RetryPolicy
from adapters.settings import Settings

PROVIDERS = ("local", "openai", "off")


INTERACTIVE_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=0.5, max_retry_after=2.0)
"""A request waits little for a failing provider: it answers 503 with `Retry-After` instead."""


def embedder_for(settings: Settings, *, interactive: bool = False) -> Embedder:
    """The embedder of the settings; `interactive`: for requests (short retries)."""
    if settings.embeddings_provider == "openai":
        return openai_embedder(settings, settings.openai_api_key, interactive=interactive)
    if settings.embeddings_provider == "off":
        return NoEmbedder()
    if settings.embeddings_provider != "local":
        raise ValueError(f"COPYDESK_EMBEDDINGS must be one of {PROVIDERS}")
    return LocalE5Embedder()


def openai_embedder(settings: Settings, api_key: str, *, interactive: bool = False
                    ) -> OpenAIEmbedder:
    """An OpenAI embedder of the settings' model on `api_key` (the platform's or an
    organization's own), with its own gate and circuit breaker."""
    return OpenAIEmbedder(api_key=api_key, base_url=settings.openai_base_url,
                          model=settings.embeddings_model,
                          timeout=settings.embeddings_timeout_seconds,
                          concurrency=settings.llm_concurrency,
                          retry=INTERACTIVE_RETRY if interactive else None)

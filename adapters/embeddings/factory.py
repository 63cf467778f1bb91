"""The embedder the settings name: the offline e5 model by default, OpenAI on request."""

from adapters.embeddings import Embedder
from adapters.embeddings.local import LocalE5Embedder
from adapters.embeddings.openai_embedder import OpenAIEmbedder
from adapters.settings import Settings

PROVIDERS = ("local", "openai")


def embedder_for(settings: Settings) -> Embedder:
    if settings.embeddings_provider == "openai":
        return OpenAIEmbedder(api_key=settings.openai_api_key,
                              base_url=settings.openai_base_url,
                              timeout=settings.llm_timeout_seconds,
                              concurrency=settings.llm_concurrency)
    if settings.embeddings_provider != "local":
        raise ValueError(f"COPYDESK_EMBEDDINGS must be one of {PROVIDERS}")
    return LocalE5Embedder()

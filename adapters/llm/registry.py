"""Which writer serves a generation: the provider asked for, with whose key.

An organization's own key (BYOK) comes before the platform key from the settings. A provider
named with no key for it at all is refused (`MissingProviderKeyError`), never served by another
writer. The offline template writer serves the `template` provider (the default when a request
names none), so copydesk still works (and demos) without any account at an AI provider.
"""

import functools

from adapters.llm.resilience import ProviderGates
from adapters.llm.writers import AnthropicWriter, OpenAICompatibleWriter, TemplateWriter, TextWriter
from adapters.settings import LLM_ENV, Settings
from domain.errors import InvalidCommandError
from domain.generation.reference import TEMPLATE_PROVIDER, model_or_default, provider_named


class MissingProviderKeyError(InvalidCommandError):
    """A provider was asked for and neither the organization nor the platform has a key."""

    def __init__(self, provider: str) -> None:
        super().__init__(
            f"no API key for provider {provider!r}: add one with PATCH"
            f" /api/v1/organization/api-keys or configure"
            f" {LLM_ENV.get(f'{provider}_api_key', provider.upper() + '_API_KEY')}")
        self.provider = provider


def platform_key(provider: str, settings: Settings) -> str:
    return {"anthropic": settings.anthropic_api_key, "openai": settings.openai_api_key,
            "deepseek": settings.deepseek_api_key, "google": settings.google_api_key}.get(provider, "")


def base_url(provider: str, settings: Settings) -> str:
    return {"anthropic": settings.anthropic_base_url, "openai": settings.openai_base_url,
            "deepseek": settings.deepseek_base_url, "google": settings.google_base_url}[provider]


def choose_writer(provider: str, model: str, org_key: str | None, settings: Settings) -> TextWriter:
    """The writer for `provider`/`model` (empty model: the provider's default).

    InvalidCommandError for an unknown provider, MissingProviderKeyError for one without a
    key. Writers are shared between calls with the same provider, model, key and endpoint, so
    their HTTP connections are reused."""
    provider_named(provider)
    if provider == TEMPLATE_PROVIDER:
        return TemplateWriter()
    key = (org_key or "").strip() or platform_key(provider, settings).strip()
    if not key:
        raise MissingProviderKeyError(provider)
    return _remote_writer(provider, model_or_default(provider, model), key, base_url(provider, settings),
                          settings.llm_timeout_seconds)


@functools.lru_cache(maxsize=256)
def _remote_writer(provider: str, model: str, key: str, url: str, timeout: float) -> TextWriter:
    if provider == "anthropic":
        return AnthropicWriter(model=model, api_key=key, base_url=url, timeout=timeout)
    return OpenAICompatibleWriter(provider=provider, model=model, api_key=key, base_url=url,
                                  timeout=timeout)


def gates_from_settings(settings: Settings) -> ProviderGates:
    """The provider gates of one process, with the settings' concurrency and timeout."""
    return ProviderGates(concurrency=settings.llm_concurrency, timeout=settings.llm_timeout_seconds)

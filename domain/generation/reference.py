"""Reference lists the API serves: AI providers and their models, platforms, content types,
languages. Model tiers come from billing, so a listed model is priced as billing prices it."""

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from domain.billing.tiers import MODEL_TIERS, model_tier_for
from domain.catalog.records import PLATFORMS
from domain.errors import InvalidCommandError

TEMPLATE_PROVIDER = "template"
TEMPLATE_MODEL = "template-writer"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AIModel:
    id: str
    tier: str
    """The billing model tier (economy, standard, premium)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class AIProvider:
    id: str
    name: str
    default_model: str
    models: tuple[AIModel, ...]
    byok: bool
    """Whether an organization may use its own key for this provider."""


def _models_of(provider: str) -> tuple[AIModel, ...]:
    names = [model for tier in MODEL_TIERS.values() for model in tier.models.get(provider, ())]
    return tuple(AIModel(id=name, tier=model_tier_for(provider, name)) for name in names)


AI_PROVIDERS: tuple[AIProvider, ...] = (
    AIProvider(id="anthropic", name="Anthropic Claude", default_model="claude-haiku-4-5",
               models=_models_of("anthropic"), byok=True),
    AIProvider(id="openai", name="OpenAI", default_model="gpt-4o-mini",
               models=_models_of("openai"), byok=False),
    AIProvider(id="deepseek", name="DeepSeek", default_model="deepseek-chat",
               models=_models_of("deepseek"), byok=True),
    AIProvider(id="google", name="Google Gemini", default_model="gemini-2.5-flash",
               models=_models_of("google"), byok=True),
    AIProvider(id=TEMPLATE_PROVIDER, name="Offline template writer", default_model=TEMPLATE_MODEL,
               models=_models_of(TEMPLATE_PROVIDER), byok=False),
)
PROVIDERS: Mapping[str, AIProvider] = MappingProxyType({p.id: p for p in AI_PROVIDERS})


def provider_named(provider: str) -> AIProvider:
    """The provider with this id; InvalidCommandError naming the known ones otherwise."""
    found = PROVIDERS.get(provider)
    if found is None:
        raise InvalidCommandError(
            f"unknown ai_provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
    return found


def model_or_default(provider: str, model: str) -> str:
    """The model asked for, or the provider's default when none was named."""
    return model.strip() or provider_named(provider).default_model


@dataclasses.dataclass(frozen=True, kw_only=True)
class Platform:
    id: str
    name: str


PLATFORM_NAMES: Mapping[str, str] = MappingProxyType({
    "woocommerce": "WooCommerce", "shopify": "Shopify", "magento2": "Magento 2 / Adobe Commerce",
})
PLATFORM_LIST: tuple[Platform, ...] = tuple(
    Platform(id=p, name=PLATFORM_NAMES[p]) for p in PLATFORMS)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ContentType:
    id: str
    name: str
    description: str
    variants: tuple[str, ...]
    """`short` keeps the copy compact; `detailed` uses the room the limits give."""


CONTENT_TYPES: tuple[ContentType, ...] = (
    ContentType(id="product_description", name="Product description",
                description="Short and long description, meta title and meta description.",
                variants=("short", "detailed")),
    ContentType(id="seo_meta", name="SEO meta data",
                description="Meta title and meta description only.", variants=("short",)),
)
CONTENT_TYPE_IDS: tuple[str, ...] = tuple(c.id for c in CONTENT_TYPES)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Language:
    code: str
    name: str
    native_name: str


LANGUAGES: tuple[Language, ...] = (
    Language(code="en", name="English", native_name="English"),
    Language(code="de", name="German", native_name="Deutsch"),
    Language(code="fr", name="French", native_name="Français"),
    Language(code="es", name="Spanish", native_name="Español"),
    Language(code="it", name="Italian", native_name="Italiano"),
    Language(code="nl", name="Dutch", native_name="Nederlands"),
    Language(code="pl", name="Polish", native_name="Polski"),
    Language(code="pt", name="Portuguese", native_name="Português"),
)
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({lang.code: lang.name for lang in LANGUAGES})


def language_name(code: str) -> str:
    """The English name of a language code; the code itself for a language not listed."""
    return LANGUAGE_NAMES.get(code, code)

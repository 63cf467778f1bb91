"""The reference lists the API serves: AI providers, platforms, content types, languages and
built-in tones. Plain data, to be replaced by the generation context's own reference."""

from types import MappingProxyType

from domain.billing.tiers import MODEL_TIERS
from domain.identity.organization import AI_KEY_PROVIDERS

PROVIDER_NAMES = MappingProxyType({
    "template": "Template writer (offline)", "anthropic": "Anthropic", "openai": "OpenAI",
    "deepseek": "DeepSeek", "google": "Google",
})
DEFAULT_PROVIDER = "template"


def provider_models() -> dict[str, list[str]]:
    """Each provider's models, cheapest tier first (the models billing knows a price for)."""
    models: dict[str, list[str]] = {provider: [] for provider in PROVIDER_NAMES}
    for tier in MODEL_TIERS.values():
        for provider, names in tier.models.items():
            models.setdefault(provider, []).extend(names)
    return models


PLATFORM_NAMES = MappingProxyType({
    "woocommerce": "WooCommerce", "shopify": "Shopify", "magento2": "Magento 2",
})
"""A display name for each of `PLATFORMS`."""

CONTENT_TYPES = (
    ("product_description", "Product description",
     "Short and long product copy from the product's data", ("short", "long", "both")),
    ("meta_tags", "SEO meta tags", "Meta title and meta description for search engines",
     ("short",)),
    ("product_name", "Product name", "A clear, searchable product name", ("short",)),
)

LANGUAGES = (
    ("en", "English", "English"), ("de", "German", "Deutsch"), ("fr", "French", "Français"),
    ("es", "Spanish", "Español"), ("it", "Italian", "Italiano"), ("nl", "Dutch", "Nederlands"),
    ("pt", "Portuguese", "Português"), ("pl", "Polish", "Polski"), ("cs", "Czech", "Čeština"),
    ("sk", "Slovak", "Slovenčina"), ("sv", "Swedish", "Svenska"), ("da", "Danish", "Dansk"),
    ("fi", "Finnish", "Suomi"), ("nb", "Norwegian", "Norsk bokmål"),
    ("hu", "Hungarian", "Magyar"), ("ro", "Romanian", "Română"), ("el", "Greek", "Ελληνικά"),
    ("tr", "Turkish", "Türkçe"), ("uk", "Ukrainian", "Українська"),
    ("ja", "Japanese", "日本語"), ("zh", "Chinese", "中文"),
)

BUILT_IN_TONES = (
    ("professional", "Professional", "Clear, precise and trustworthy",
     "Write in a professional, clear and trustworthy tone. Be precise; avoid hype."),
    ("friendly", "Friendly", "Warm and approachable",
     "Write in a warm, friendly and approachable tone, as if advising a friend."),
    ("casual", "Casual", "Relaxed and conversational",
     "Write in a relaxed, conversational tone with short sentences."),
    ("luxury", "Luxury", "Refined and exclusive",
     "Write in a refined, elegant tone that conveys quality and exclusivity."),
    ("technical", "Technical", "Detailed and factual",
     "Write in a factual, technical tone; lead with specifications and materials."),
    ("persuasive", "Persuasive", "Benefit-led and convincing",
     "Write persuasively: lead with the customer's benefits, end with a reason to buy."),
    ("playful", "Playful", "Light-hearted and fun",
     "Write in a playful, light-hearted tone, with a wink but no exaggeration."),
)
BUILT_IN_TONE_IDS = frozenset(tone[0] for tone in BUILT_IN_TONES)

BYOK_PROVIDERS = AI_KEY_PROVIDERS

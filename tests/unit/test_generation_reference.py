"""The reference lists agree with billing, the phrasebooks and the language checks."""

import pytest

from domain.billing.tiers import MODEL_TIERS, model_tier_for
from domain.catalog.records import PLATFORMS
from domain.errors import InvalidCommandError
from domain.generation.languages import STOP_WORDS
from domain.generation.phrasebook import ATTRIBUTE_KEYS, PHRASEBOOK
from domain.generation.reference import (
    AI_PROVIDERS,
    CONTENT_TYPE_IDS,
    LANGUAGES,
    PLATFORM_LIST,
    TEMPLATE_MODEL,
    language_name,
    model_or_default,
    provider_named,
)
from domain.generation.tones import BUILT_IN_TONES, built_in_tone_prompt


def test_every_listed_model_has_the_tier_billing_prices_it_at() -> None:
    for provider in AI_PROVIDERS:
        assert provider.models, provider.id
        for model in provider.models:
            assert model.tier == model_tier_for(provider.id, model.id) != ""
        assert provider.default_model in [m.id for m in provider.models]


def test_every_model_billing_knows_is_listed() -> None:
    listed = {(p.id, m.id) for p in AI_PROVIDERS for m in p.models}
    priced = {(p, m) for tier in MODEL_TIERS.values() for p, models in tier.models.items() for m in models}
    assert listed == priced
    assert model_tier_for("template", TEMPLATE_MODEL) == "economy"


def test_an_unknown_provider_is_refused_by_name() -> None:
    with pytest.raises(InvalidCommandError, match="unknown ai_provider 'acme'; choose one of anthropic"):
        provider_named("acme")


def test_an_empty_model_means_the_providers_default() -> None:
    assert model_or_default("anthropic", "") == "claude-haiku-4-5"
    assert model_or_default("openai", " gpt-4o ") == "gpt-4o"


def test_every_listed_language_has_a_phrasebook_and_stop_words() -> None:
    codes = [lang.code for lang in LANGUAGES]
    assert codes == list(PHRASEBOOK) == list(STOP_WORDS)
    assert language_name("nl") == "Dutch" and language_name("xx") == "xx"


def test_every_phrasebook_speaks_every_tone_and_labels_every_attribute() -> None:
    for code, phrases in PHRASEBOOK.items():
        assert set(phrases.intros) == set(phrases.closings) == {t.id for t in BUILT_IN_TONES}, code
        assert set(phrases.labels) == set(ATTRIBUTE_KEYS), code


def test_platforms_content_types_and_tones_are_listed() -> None:
    assert [p.id for p in PLATFORM_LIST] == list(PLATFORMS)
    assert "product_description" in CONTENT_TYPE_IDS
    assert {"professional", "friendly", "luxury", "playful", "technical", "persuasive", "minimalist"} <= {
        t.id for t in BUILT_IN_TONES}
    assert built_in_tone_prompt("luxury") and built_in_tone_prompt("custom") is None

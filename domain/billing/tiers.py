"""Subscription tiers, model tiers, the price of tokens in XCT, and exact XCT amounts."""

import dataclasses
from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from types import MappingProxyType

from domain.errors import InvalidCommandError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_MODEL_TIER = "standard"

SUBSCRIPTION_ALLOTMENTS: Mapping[str, Decimal] = MappingProxyType({
    "free": Decimal("50000.00"),
    "starter": Decimal("1000000.00"),
    "professional": Decimal("5000000.00"),
    "enterprise": Decimal("25000000.00"),
})
SUBSCRIPTION_TIERS: tuple[str, ...] = tuple(SUBSCRIPTION_ALLOTMENTS)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ModelTier:
    """A price class of models: each token costs `multiplier` XCT (before the org's rate)."""

    name: str
    multiplier: int
    models: Mapping[str, tuple[str, ...]]  # provider -> model names


MODEL_TIERS: Mapping[str, ModelTier] = MappingProxyType({
    tier.name: tier
    for tier in (
        ModelTier(name="economy", multiplier=1, models=MappingProxyType({
            "anthropic": ("claude-haiku-4-5",),
            "openai": ("gpt-4o-mini",),
            "deepseek": ("deepseek-chat",),
            "google": ("gemini-2.5-flash",),
            "template": ("template-writer",),
        })),
        ModelTier(name="standard", multiplier=2, models=MappingProxyType({
            "anthropic": ("claude-sonnet-4-5",),
            "openai": ("gpt-4o", "gpt-4.1"),
            "google": ("gemini-2.5-pro",),
        })),
        ModelTier(name="premium", multiplier=5, models=MappingProxyType({
            "anthropic": ("claude-opus-4-1",),
            "openai": ("o3",),
            "deepseek": ("deepseek-reasoner",),
        })),
    )
})

_TIER_OF_MODEL: Mapping[tuple[str, str], str] = MappingProxyType({
    (provider, model): tier.name
    for tier in MODEL_TIERS.values()
    for provider, models in tier.models.items()
    for model in models
})


def model_tier_for(provider: str, model: str) -> str:
    """The model tier of a provider's model; a model nobody listed is priced as standard."""
    return _TIER_OF_MODEL.get((provider, model), DEFAULT_MODEL_TIER)


def monthly_allotment(subscription_tier: str) -> Decimal:
    """XCT granted each billing cycle; KeyError for an unknown tier (check it first)."""
    return SUBSCRIPTION_ALLOTMENTS[subscription_tier]


def ceil_to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def token_cost(tokens: int, model_tier: str, rate: Decimal) -> Decimal:
    """XCT for `tokens` tokens of a model tier at the organization's rate, rounded up."""
    return ceil_to_cents(Decimal(tokens) * MODEL_TIERS[model_tier].multiplier * rate)


def exact_amount(value: Decimal | int, name: str, limit: Decimal) -> Decimal:
    """`value` as a finite number of at most 2 decimal places and at most `limit` in size."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidCommandError(f"{name} must be a decimal number, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite() or abs(number) > limit:
        raise InvalidCommandError(f"{name} must be a number of at most {limit}")
    if number != number.quantize(CENT):
        raise InvalidCommandError(f"{name} must have at most 2 decimal places")
    return number.quantize(CENT)

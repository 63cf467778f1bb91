"""The built-in writing tones, in the shape of an organization's custom tones."""

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

DEFAULT_TONE = "professional"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Tone:
    id: str
    name: str
    description: str
    system_prompt: str


BUILT_IN_TONES: tuple[Tone, ...] = (
    Tone(id="professional", name="Professional", description="Clear, factual and trustworthy.",
         system_prompt="Write in a clear, professional and trustworthy voice. Prefer precise, "
                       "factual sentences over adjectives; no slang, no exclamation marks."),
    Tone(id="friendly", name="Friendly", description="Warm and approachable, like a helpful shop "
                                                     "assistant.",
         system_prompt="Write in a warm, friendly and approachable voice, as a helpful shop "
                       "assistant would speak to a customer. Address the reader directly."),
    Tone(id="luxury", name="Luxury", description="Elegant and refined, for premium products.",
         system_prompt="Write in an elegant, refined voice suited to premium goods. Choose "
                       "evocative but restrained words; let materials and craft speak."),
    Tone(id="playful", name="Playful", description="Light-hearted and lively.",
         system_prompt="Write in a light-hearted, playful voice with lively rhythm and a touch of "
                       "humour, while keeping every statement accurate."),
    Tone(id="technical", name="Technical", description="Precise and specification-led.",
         system_prompt="Write in a precise, technical voice. Lead with specifications and "
                       "attributes, name them exactly, and avoid marketing language."),
    Tone(id="persuasive", name="Persuasive", description="Benefit-led, with a call to action.",
         system_prompt="Write in a persuasive voice that turns the product's real attributes into "
                       "benefits for the buyer and ends with a short call to action."),
    Tone(id="minimalist", name="Minimalist", description="Few words, nothing superfluous.",
         system_prompt="Write in a minimalist voice: short sentences, few adjectives, nothing "
                       "superfluous."),
)
TONES: Mapping[str, Tone] = MappingProxyType({tone.id: tone for tone in BUILT_IN_TONES})


def built_in_tone_prompt(tone: str) -> str | None:
    """The system prompt of a built-in tone; None for another id (a custom tone, or unknown)."""
    found = TONES.get(tone)
    return found.system_prompt if found else None

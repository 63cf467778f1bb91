"""What a user asks of a generation run, and what a writer answers (provider-independent)."""

import dataclasses

from domain.catalog.texts import GeneratedTexts, Validation

__all__ = ["GeneratedTexts", "GenerationSettings", "Validation", "WriterOutput"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class GenerationSettings:
    """The seed's generation body, minus `item_ids` (which items is the job's business)."""

    content_type: str = "product_description"
    content_variant: str = "short"
    language: str = "en"
    tone: str = "professional"
    ai_provider: str = "template"
    ai_model: str = ""
    custom_instructions: str = ""
    max_short_chars: int = 200
    max_long_chars: int = 1000
    translate_name: bool = True
    use_html: bool = True
    use_html_short: bool = False
    generate_short: bool = True
    generate_long: bool = True


@dataclasses.dataclass(frozen=True, kw_only=True)
class WriterOutput:
    texts: GeneratedTexts
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cached: bool = False
    """A result reused for the same prompt: costs nothing."""

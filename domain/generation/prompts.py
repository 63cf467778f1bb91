"""The prompt a text model gets for one product, the key that caches its answer, and the
reading of that answer back into copy."""

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from domain.generation.reference import language_name
from domain.generation.settings import GeneratedTexts, GenerationSettings
from domain.generation.text import visible_text

PROMPT_VERSION = "1"
"""Part of every cache key: changing the wording of the prompts invalidates cached answers."""

META_TITLE_LIMIT = 60
META_DESCRIPTION_LIMIT = 160
NAME_LIMIT = 200
HTML_TAGS = ("p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h2", "h3", "h4")
"""The tags generated HTML may use, without attributes."""

FACT_FIELDS = ("name", "sku", "brand", "categories", "attributes", "weight", "price",
               "short_description", "description")
"""Product data a prompt states, in this order; other columns are left out."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Prompt:
    system: str
    user: str
    max_output_tokens: int
    facts: Mapping[str, Any] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False)
    """The product data the prompt states (already in `user`); offline writers compose from it."""


class MalformedAnswerError(ValueError):
    """A model's answer holds no JSON object with the copy; the message says what was wrong."""


def product_facts(source_data: Mapping[str, Any]) -> dict[str, Any]:
    """The product data worth stating: non-empty fact fields, HTML reduced to its text."""
    facts: dict[str, Any] = {}
    for field in FACT_FIELDS:
        value = source_data.get(field)
        if isinstance(value, str):
            value = visible_text(value)
        elif isinstance(value, Mapping):
            value = {str(k): _as_text(v) for k, v in value.items() if _as_text(v)}
        elif isinstance(value, list | tuple):
            value = [_as_text(v) for v in value if _as_text(v)]
        elif value is not None:
            value = str(value)
        if value:
            facts[field] = value
    return facts


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value if _as_text(v))
    return "" if value is None else visible_text(str(value))


def requested_fields(settings: GenerationSettings) -> dict[str, tuple[int, bool]]:
    """The fields the answer must carry: name -> (character limit, HTML allowed)."""
    fields: dict[str, tuple[int, bool]] = {}
    if settings.content_type != "seo_meta":
        if settings.translate_name:
            fields["name"] = (NAME_LIMIT, False)
        if settings.generate_short:
            fields["short_description"] = (settings.max_short_chars, settings.use_html_short)
        if settings.generate_long:
            fields["long_description"] = (settings.max_long_chars, settings.use_html)
    fields["meta_title"] = (META_TITLE_LIMIT, False)
    fields["meta_description"] = (META_DESCRIPTION_LIMIT, False)
    return fields


SYSTEM_RULES = """You write product copy for online stores.
Use ONLY facts present in the product data you are given. Never invent numbers, measurements,
quantities, percentages, prices, materials, certifications, awards, rankings or guarantees, and
no superlative claims such as "best-selling", "award-winning", "number one" or "100% waterproof"
unless the product data says so. Mention the product name. If the data is thin, write less.
Answer with one JSON object and nothing else: no code fence, no comments."""


def build_prompt(source_data: Mapping[str, Any], settings: GenerationSettings,
                 tone_prompt: str) -> Prompt:
    """The prompt for one product's copy, in the settings' language, tone and limits."""
    facts = product_facts(source_data)
    fields = requested_fields(settings)
    language = language_name(settings.language)
    lines = [f"Write the copy for the product below in {language} (language code "
             f"{settings.language}).", "", "Fields to write:"]
    for field, (limit, use_html) in fields.items():
        form = (f"HTML using only the tags {', '.join(f'<{t}>' for t in HTML_TAGS)}, no attributes"
                if use_html else "plain text, no HTML")
        lines.append(f"- {field}: at most {limit} characters of visible text; {form}.")
    if "name" in fields:
        lines.append(f"The name is the product name translated into {language}; keep brand "
                     "and model names as they are.")
    if settings.content_variant == "short":
        lines.append("Keep the copy compact: well under the limits is fine.")
    else:
        lines.append("Use the room the limits give, without repeating yourself.")
    if settings.custom_instructions.strip():
        lines += ["", "Instructions from the store:", settings.custom_instructions.strip()]
    skeleton = json.dumps({field: "..." for field in fields}, ensure_ascii=False)
    lines += ["", "Product data:", canonical_json(facts), "",
              f"Answer with this JSON object, filled in: {skeleton}"]
    system = f"{SYSTEM_RULES}\n\nVoice: {tone_prompt.strip()}" if tone_prompt.strip() else SYSTEM_RULES
    return Prompt(system=system, user="\n".join(lines),
                  max_output_tokens=_max_output_tokens(fields), facts=MappingProxyType(facts))


def _max_output_tokens(fields: Mapping[str, tuple[int, bool]]) -> int:
    # about 3 characters a token in most languages, HTML tags roughly double a text, plus JSON
    chars = sum(limit * (2 if use_html else 1) for limit, use_html in fields.values())
    return max(256, min(8192, chars // 3 + 200))


def canonical_json(value: Any) -> str:
    """One spelling of a value: sorted keys, no spaces, real characters."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def prompt_key(provider: str, model: str, prompt: Prompt) -> str:
    """The cache key of an answer: sha256 over the provider, model and whole prompt (system prompt,
    product data, settings), so any change to one of them asks the model again."""
    encoded = canonical_json([PROMPT_VERSION, provider, model, prompt.system, prompt.user,
                              prompt.max_output_tokens])
    return hashlib.sha256(encoded.encode()).hexdigest()


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def parse_answer(text: str, settings: GenerationSettings) -> GeneratedTexts:
    """The copy in a model's answer: the first JSON object, fenced or among prose. Fields not asked
    for are dropped; a missing one stays empty (the validators notice)."""
    found = _first_object(text)
    fields = requested_fields(settings)
    if not any(field in found for field in fields):
        raise MalformedAnswerError(
            f"the answer's JSON has none of the fields asked for ({', '.join(fields)})")
    values: dict[str, str] = {}
    for field in fields:
        value = found.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise MalformedAnswerError(f"the answer's {field} is a {type(value).__name__}, not text")
        values[field] = value.strip()
    return GeneratedTexts(**values)


def _first_object(text: str) -> dict[str, Any]:
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for start in (i for i, ch in enumerate(candidate) if ch == "{"):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    snippet = " ".join(text.split())[:80]
    raise MalformedAnswerError(f"the answer holds no JSON object: {snippet!r}")

"""The prompt for one product, its cache key, and reading the model's answer back."""

import dataclasses
import json

import pytest

from domain.generation.prompts import (
    MalformedAnswerError,
    build_prompt,
    parse_answer,
    prompt_key,
    requested_fields,
)
from domain.generation.settings import GeneratedTexts, GenerationSettings
from domain.generation.tones import built_in_tone_prompt

PRODUCT = {
    "sku": "MUG-7", "name": "Kaffeebecher Mila", "brand": "Tonwerk", "price": "14.90",
    "categories": ["Küche > Becher"], "attributes": {"Material": "Steinzeug", "Volume": "350 ml"},
    "description": "<p>Ein schlichter Becher &amp; mehr.</p>", "images": ["https://cdn.test/mug.jpg"],
    "platform_fields": {"Inventory": "12"},
}
SETTINGS = GenerationSettings(language="de", tone="friendly", ai_provider="anthropic")
TONE = "Write warmly."


def test_the_prompt_asks_for_json_with_the_requested_fields_limits_and_html_rules() -> None:
    prompt = build_prompt(PRODUCT, SETTINGS, TONE)
    assert "German (language code de)" in prompt.user
    assert "- short_description: at most 200 characters of visible text; plain text, no HTML." in prompt.user
    assert "- long_description: at most 1000 characters of visible text; HTML using only" in prompt.user
    assert "- meta_title: at most 60 characters" in prompt.user
    assert "- meta_description: at most 160 characters" in prompt.user
    assert "- name: at most 200 characters" in prompt.user
    skeleton = json.loads(prompt.user.rsplit("filled in: ", 1)[1])
    assert list(skeleton) == ["name", "short_description", "long_description", "meta_title",
                              "meta_description"]
    assert "ONLY facts present in the product data" in prompt.system
    assert prompt.system.endswith("Voice: Write warmly.")


def test_the_prompt_leaves_out_fields_not_asked_for() -> None:
    settings = dataclasses.replace(SETTINGS, translate_name=False, generate_short=False, use_html=False)
    prompt = build_prompt(PRODUCT, settings, TONE)
    assert "- name:" not in prompt.user and "- short_description:" not in prompt.user
    assert "- long_description: at most 1000 characters of visible text; plain text, no HTML." in prompt.user
    assert list(requested_fields(dataclasses.replace(settings, content_type="seo_meta"))) == [
        "meta_title", "meta_description"]


def test_the_prompt_states_the_product_facts_as_text_and_nothing_else() -> None:
    prompt = build_prompt(PRODUCT, SETTINGS, TONE)
    facts = json.loads(prompt.user.split("Product data:\n", 1)[1].split("\n", 1)[0])
    assert facts["description"] == "Ein schlichter Becher & mehr."
    assert facts["attributes"] == {"Material": "Steinzeug", "Volume": "350 ml"}
    assert "images" not in facts and "platform_fields" not in facts
    assert dict(prompt.facts) == facts


def test_list_values_are_stated_as_text_and_empty_ones_left_out() -> None:
    product = {"name": "Tee", "attributes": {"Size": ["S", "M", None], "Colour": "", "Fit": None},
               "categories": ["Tops", " "], "brand": None}
    assert dict(build_prompt(product, SETTINGS, TONE).facts) == {
        "name": "Tee", "categories": ["Tops"], "attributes": {"Size": "S, M"}}


def test_custom_instructions_reach_the_prompt() -> None:
    settings = dataclasses.replace(SETTINGS, custom_instructions="  Mention free returns.  ")
    assert "Instructions from the store:\nMention free returns." in build_prompt(PRODUCT, settings, TONE).user


def test_more_room_asks_for_more_output_tokens() -> None:
    small = build_prompt(PRODUCT, dataclasses.replace(SETTINGS, max_long_chars=300), TONE)
    large = build_prompt(PRODUCT, dataclasses.replace(SETTINGS, max_long_chars=5000), TONE)
    assert 256 <= small.max_output_tokens < large.max_output_tokens <= 8192


def test_the_cache_key_is_the_same_for_the_same_prompt_however_the_data_is_ordered() -> None:
    reordered = dict(reversed(list(PRODUCT.items())))
    reordered["attributes"] = {"Volume": "350 ml", "Material": "Steinzeug"}
    first = prompt_key("anthropic", "claude-sonnet-4-5", build_prompt(PRODUCT, SETTINGS, TONE))
    again = prompt_key("anthropic", "claude-sonnet-4-5", build_prompt(reordered, SETTINGS, TONE))
    assert first == again and len(first) == 64


@pytest.mark.parametrize("change", [
    {"language": "fr"}, {"tone": "luxury"}, {"max_short_chars": 150}, {"max_long_chars": 900},
    {"use_html": False}, {"use_html_short": True}, {"translate_name": False}, {"generate_short": False},
    {"generate_long": False}, {"custom_instructions": "Be brief."}, {"content_type": "seo_meta"},
    {"content_variant": "detailed"},
])
def test_the_cache_key_changes_with_every_setting_that_changes_the_prompt(change: dict[str, object]) -> None:
    base = prompt_key("anthropic", "m", build_prompt(PRODUCT, SETTINGS, TONE))
    changed = dataclasses.replace(SETTINGS, **change)  # type: ignore[arg-type]
    tone = (built_in_tone_prompt(changed.tone) or "") if "tone" in change else TONE
    assert prompt_key("anthropic", "m", build_prompt(PRODUCT, changed, tone)) != base


def test_the_cache_key_changes_with_the_product_data_model_provider_and_tone() -> None:
    prompt = build_prompt(PRODUCT, SETTINGS, TONE)
    base = prompt_key("anthropic", "m", prompt)
    assert prompt_key("anthropic", "other", prompt) != base
    assert prompt_key("openai", "m", prompt) != base
    assert prompt_key("anthropic", "m", build_prompt({**PRODUCT, "price": "15.90"}, SETTINGS, TONE)) != base
    assert prompt_key("anthropic", "m", build_prompt(PRODUCT, SETTINGS, "Write coldly.")) != base


ANSWER = {"name": "Kaffeebecher Mila", "short_description": "Kurz.", "long_description": "<p>Lang.</p>",
          "meta_title": "Mila", "meta_description": "Becher."}


def test_a_plain_json_answer_is_read() -> None:
    assert parse_answer(json.dumps(ANSWER), SETTINGS) == GeneratedTexts(**ANSWER)


def test_an_answer_in_a_code_fence_or_among_prose_is_read() -> None:
    fenced = f"Here you go:\n```json\n{json.dumps(ANSWER, indent=2)}\n```\nEnjoy!"
    prose = f"Sure! {json.dumps(ANSWER)} Let me know {{if}} you need more."
    assert parse_answer(fenced, SETTINGS) == GeneratedTexts(**ANSWER)
    assert parse_answer(prose, SETTINGS) == GeneratedTexts(**ANSWER)


def test_fields_not_asked_for_are_dropped_and_missing_ones_stay_empty() -> None:
    settings = dataclasses.replace(SETTINGS, translate_name=False)
    texts = parse_answer(json.dumps({"name": "X", "meta_title": " T ", "extra": 1}), settings)
    assert texts == GeneratedTexts(meta_title="T")


@pytest.mark.parametrize("answer", [
    "I cannot write that.", "", "```json\n{broken\n```", "[1, 2, 3]", '{"unrelated": "x"}',
])
def test_an_answer_without_the_copy_is_malformed(answer: str) -> None:
    with pytest.raises(MalformedAnswerError):
        parse_answer(answer, SETTINGS)


def test_an_answer_with_a_field_that_is_not_text_is_malformed() -> None:
    with pytest.raises(MalformedAnswerError, match="meta_title"):
        parse_answer(json.dumps({**ANSWER, "meta_title": ["a", "b"]}), SETTINGS)

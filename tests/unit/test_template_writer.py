"""The offline writer: valid, readable copy from the product's own data, in every language it
lists and every built-in tone, the same for the same input."""

import dataclasses
import re

import pytest

from domain.errors import InvalidCommandError
from domain.generation.html_check import has_html, html_problems
from domain.generation.languages import detect_language
from domain.generation.phrasebook import PHRASEBOOK
from domain.generation.settings import GenerationSettings
from domain.generation.template_writer import TEMPLATE_LANGUAGES, estimate_tokens, write_with_template
from domain.generation.text import source_text, visible_text
from domain.generation.tones import TONES
from domain.generation.validators import validate

SHIRT = {
    "sku": "TS-1042", "name": "Aurora Organic Cotton T-Shirt", "brand": "Nordwear", "price": "29.90",
    "categories": ["Clothing > T-Shirts", "Summer"], "weight": "0.2 kg",
    "attributes": {"Color": "Blue", "Size": "M", "Material": "100% organic cotton", "pa_fit": "Regular"},
    "description": "<p>A soft T-shirt made from organic cotton. It has a classic crew neck.</p>",
}
LAMP = {"name": "Lumo Desk Lamp 2", "brand": "Lumo", "categories": ["Home/Lighting/Desk lamps"],
        "attributes": {"Colour": "Matt black", "Power": "6 W", "Cable length": "1.5 m"}}
BARE = {"name": "Gift Card"}


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("tone", sorted(TONES))
def test_copy_in_every_language_and_tone_passes_every_validator(language: str, tone: str) -> None:
    for product in (SHIRT, LAMP, BARE):
        settings = GenerationSettings(language=language, tone=tone)
        texts = write_with_template(product, settings)
        assert validate(product, settings, texts).reasons == (), (language, tone, texts)


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_the_long_copy_reads_as_its_language(language: str) -> None:
    texts = write_with_template(SHIRT, GenerationSettings(language=language, content_variant="detailed"))
    assert detect_language(visible_text(texts.long_description)) == language


def test_the_same_product_and_settings_give_the_same_copy() -> None:
    settings = GenerationSettings(language="fr", tone="luxury")
    assert write_with_template(SHIRT, settings) == write_with_template(dict(SHIRT), settings)


def test_different_products_do_not_all_read_the_same() -> None:
    settings = GenerationSettings(language="en")
    openings = {write_with_template({**SHIRT, "sku": f"TS-{i}", "name": f"Shirt {chr(65 + i)}"}, settings)
                .short_description.split("Shirt")[0] for i in range(12)}
    assert len(openings) > 1


def test_tones_sound_different() -> None:
    copies = {tone: write_with_template(LAMP, GenerationSettings(tone=tone)).long_description
              for tone in TONES}
    assert len(set(copies.values())) == len(TONES)


def test_the_copy_states_the_product_facts() -> None:
    texts = write_with_template(SHIRT, GenerationSettings(language="de", content_variant="detailed"))
    for fact in ("Aurora Organic Cotton T-Shirt", "Nordwear", "Farbe: Blue", "Größe: M", "Passform: Regular",
                 "Gewicht: 0.2 kg", "T-Shirts"):
        assert fact in texts.long_description, fact
    assert texts.meta_title == "Aurora Organic Cotton T-Shirt | Nordwear"


def test_every_number_in_the_copy_comes_from_the_product_data() -> None:
    for language in TEMPLATE_LANGUAGES:
        texts = write_with_template(LAMP, GenerationSettings(language=language, content_variant="detailed"))
        copy = " ".join(visible_text(t) for t in dataclasses.astuple(texts))
        assert set(re.findall(r"\d+(?:\.\d+)?", copy)) <= set(re.findall(r"\d+(?:\.\d+)?", source_text(LAMP)))


def test_the_description_is_quoted_only_when_it_is_in_the_target_language() -> None:
    english = write_with_template(SHIRT, GenerationSettings(language="en", content_variant="detailed"))
    german = write_with_template(SHIRT, GenerationSettings(language="de", content_variant="detailed"))
    assert "A soft T-shirt made from organic cotton." in english.long_description
    assert "A soft T-shirt" not in german.long_description


@pytest.mark.parametrize(("short", "long"), [(40, 120), (80, 250), (200, 1000), (400, 3000)])
def test_limits_are_kept(short: int, long: int) -> None:
    for language in TEMPLATE_LANGUAGES:
        settings = GenerationSettings(language=language, max_short_chars=short, max_long_chars=long,
                                      content_variant="detailed")
        texts = write_with_template(SHIRT, settings)
        assert 0 < len(visible_text(texts.short_description)) <= short
        assert 0 < len(visible_text(texts.long_description)) <= long
        assert len(texts.meta_title) <= 60 and len(texts.meta_description) <= 160


def test_more_room_gives_more_copy() -> None:
    small = write_with_template(SHIRT, GenerationSettings(max_long_chars=250, content_variant="detailed"))
    large = write_with_template(SHIRT, GenerationSettings(max_long_chars=2000, content_variant="detailed"))
    assert len(visible_text(small.long_description)) < len(visible_text(large.long_description))


def test_plain_text_settings_give_no_html_and_html_settings_give_well_formed_html() -> None:
    plain = write_with_template(SHIRT, GenerationSettings(use_html=False, use_html_short=False))
    assert not has_html(plain.long_description) and not has_html(plain.short_description)
    assert "\n\n" in plain.long_description
    product = {**SHIRT, "name": "Tom & Jerry Tee", "attributes": {"Fit": "Relaxed > Regular"}}
    rich = write_with_template(product, GenerationSettings(use_html=True, use_html_short=True))
    for text in (rich.long_description, rich.short_description):
        assert has_html(text) and html_problems(text) == []
    assert "Tom &amp; Jerry Tee" in rich.long_description and "Relaxed &gt; Regular" in rich.long_description
    assert not has_html(rich.meta_description)


def test_only_the_fields_asked_for_are_written() -> None:
    texts = write_with_template(SHIRT, GenerationSettings(translate_name=False, generate_short=False))
    assert texts.name == "" and texts.short_description == "" and texts.long_description
    meta_only = write_with_template(SHIRT, GenerationSettings(content_type="seo_meta"))
    assert (meta_only.short_description, meta_only.long_description) == ("", "")
    assert meta_only.meta_title and meta_only.meta_description


def test_a_custom_tone_is_written_in_the_default_voice() -> None:
    custom = write_with_template(SHIRT, GenerationSettings(tone="our-brand-voice"))
    openings = [template.format(name=SHIRT["name"], brand=" by Nordwear")
                for template in PHRASEBOOK["en"].intros["professional"]]
    assert any(custom.long_description.startswith(f"<p>{opening}</p>") for opening in openings)


def test_a_language_without_a_phrasebook_is_refused() -> None:
    with pytest.raises(InvalidCommandError, match="template writer writes en, de"):
        write_with_template(SHIRT, GenerationSettings(language="ja"))


def test_tokens_are_estimated_at_four_characters_each() -> None:
    assert (estimate_tokens(""), estimate_tokens("abcd"), estimate_tokens("abcde")) == (0, 1, 2)

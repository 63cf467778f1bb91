"""Each validator passes good copy and lowers the confidence score for its kind of fault."""

import dataclasses
from collections.abc import Mapping

import pytest

from domain.catalog.content_item import FLAG_THRESHOLD
from domain.generation import validators as v
from domain.generation.settings import GeneratedTexts, GenerationSettings, Validation
from domain.generation.validators import is_flagged, validate

PRODUCT = {
    "sku": "BT-300", "name": "Trail Bottle", "brand": "Peakline", "price": "1.299,00",
    "categories": ["Outdoor > Bottles"],
    "attributes": {"Capacity": "500 ml", "Material": "stainless steel",
                   "Insulation": "keeps drinks cold 24 h"},
    "description": "A steel bottle for long hikes.",
}
SETTINGS = GenerationSettings(language="en")
GOOD = GeneratedTexts(
    name="Trail Bottle",
    short_description="The Trail Bottle by Peakline is a stainless steel bottle that holds 500 ml for "
                      "your hikes.",
    long_description="<p>Meet the <strong>Trail Bottle</strong> by Peakline, made of stainless steel.</p>"
                     "<ul><li>Capacity: 500 ml</li><li>It keeps drinks cold for 24 h</li></ul>"
                     "<p>It is a fine companion on the trail and in the office.</p>",
    meta_title="Trail Bottle | Peakline",
    meta_description="The Trail Bottle by Peakline: a stainless steel bottle with a capacity of 500 ml.",
)


def check(texts: GeneratedTexts, settings: GenerationSettings = SETTINGS,
          product: Mapping[str, object] | None = None) -> Validation:
    return validate(product or PRODUCT, settings, texts)


def test_good_copy_scores_full_confidence() -> None:
    assert check(GOOD) == Validation(confidence_score=1.0, reasons=())
    assert not is_flagged(check(GOOD))


def test_a_missing_field_is_named_and_flags_the_item() -> None:
    result = check(dataclasses.replace(GOOD, meta_description=" "))
    assert result.reasons == ("The meta description is missing.",)
    assert result.confidence_score == 1 - v.MISSING_FIELD and is_flagged(result)


def test_fields_not_asked_for_may_stay_empty() -> None:
    settings = dataclasses.replace(SETTINGS, translate_name=False, generate_long=False)
    assert check(dataclasses.replace(GOOD, name="", long_description=""), settings).reasons == ()


def test_a_short_description_over_its_limit_lowers_the_score_but_alone_does_not_flag() -> None:
    result = check(GOOD, dataclasses.replace(SETTINGS, max_short_chars=50))
    assert result.reasons == (f"The short description has {len(GOOD.short_description)} characters, "
                              "over the limit of 50.",)
    assert result.confidence_score == 1 - v.TOO_LONG and not is_flagged(result)


def test_length_is_measured_on_visible_text_not_on_html() -> None:
    visible = len("Meet the Trail Bottle by Peakline, made of stainless steel. Capacity: 500 ml "
                  "It keeps drinks cold for 24 h It is a fine companion on the trail and in the office.")
    assert len(GOOD.long_description) > visible
    assert check(GOOD, dataclasses.replace(SETTINGS, max_long_chars=visible)).reasons == ()
    assert check(GOOD, dataclasses.replace(SETTINGS, max_long_chars=visible - 1)).reasons != ()


def test_an_over_long_meta_title_costs_a_little() -> None:
    result = check(dataclasses.replace(GOOD, meta_title="Trail Bottle " * 6))
    assert result.confidence_score == 1 - v.META_TOO_LONG
    assert "meta title has 77 characters, over the limit of 60" in result.reasons[0]


@pytest.mark.parametrize(("html", "problem"), [
    ("<p>Trail Bottle by Peakline", "<p> is never closed"),
    ("<p>Trail <strong>Bottle</p></strong>", "<strong> is closed by </p>"),
    ("<p>Trail Bottle</p></ul>", "</ul> closes nothing"),
    ("<div>Trail Bottle</div>", "<div> is not an allowed tag"),
    ('<p style="color:red">Trail Bottle</p>', "<p> carries attributes"),
    ("<p>Trail Bottle<script>alert()</script></p>", "<script> is not an allowed tag"),
])
def test_malformed_html_flags_the_item(html: str, problem: str) -> None:
    result = check(dataclasses.replace(GOOD, long_description=html))
    assert len(result.reasons) == 1 and problem in result.reasons[0]
    assert "malformed HTML" in result.reasons[0] and is_flagged(result)


def test_line_breaks_and_nested_lists_are_well_formed() -> None:
    html = "<p>Trail Bottle<br>by Peakline<br/>in steel</p><ul><li>One<ol><li>two</li></ol></li></ul>"
    assert check(dataclasses.replace(GOOD, long_description=html)).reasons == ()


def test_html_where_plain_text_was_asked_for_is_named() -> None:
    short_html = check(dataclasses.replace(GOOD, short_description="<p>Trail Bottle by Peakline.</p>"))
    assert short_html.reasons == ("The short description contains HTML where plain text was asked for.",)
    long_plain = check(GOOD, dataclasses.replace(SETTINGS, use_html=False))
    assert long_plain.reasons == ("The long description contains HTML where plain text was asked for.",)
    assert check(dataclasses.replace(GOOD, meta_title="<b>Trail Bottle</b>")).reasons == (
        "The meta title contains HTML where plain text was asked for.",)


def test_html_is_allowed_in_the_short_description_when_asked_for() -> None:
    texts = dataclasses.replace(GOOD, short_description="<p>The <em>Trail Bottle</em> holds 500 ml.</p>")
    assert check(texts, dataclasses.replace(SETTINGS, use_html_short=True)).reasons == ()


def test_copy_without_the_product_name_is_named() -> None:
    texts = dataclasses.replace(GOOD, short_description="A steel bottle for hikes.",
                                long_description="<p>A steel bottle for hikes and the office.</p>",
                                meta_title="Steel bottle", meta_description="A steel bottle.")
    result = check(texts)
    assert result.reasons == ("The product name appears in none of the texts.",)
    assert result.confidence_score == 1 - v.NAME_MISSING


def test_most_words_of_a_long_name_are_enough() -> None:
    product = {**PRODUCT, "name": "Peakline Trail Bottle Stainless Edition"}
    assert check(GOOD, product=product).reasons == ()


def test_a_number_the_product_data_does_not_state_flags_the_item() -> None:
    texts = dataclasses.replace(GOOD, short_description="The Trail Bottle holds 750 ml and weighs 320 g.")
    result = check(texts)
    assert result.reasons == ("Numbers not in the product data: 750, 320.",)
    assert is_flagged(result)


def test_numbers_match_however_thousands_and_decimals_are_written() -> None:
    texts = dataclasses.replace(GOOD, short_description="The Trail Bottle costs 1,299.00 or 1299, 500 ml.")
    assert check(texts).reasons == ()


def test_a_known_number_in_another_unit_is_invented() -> None:
    result = check(dataclasses.replace(GOOD, short_description="The Trail Bottle holds 500 l."))
    assert result.reasons == ("Numbers not in the product data: 500 l.",)


@pytest.mark.parametrize("claim", ["100% leak-proof", "30% lighter"])
def test_an_invented_percentage_is_caught(claim: str) -> None:
    result = check(dataclasses.replace(GOOD, short_description=f"The Trail Bottle is {claim}."))
    assert result.reasons and result.reasons[0].startswith("Numbers not in the product data:")


@pytest.mark.parametrize(("copy", "claim"), [
    ("Our best-selling Trail Bottle.", "best-selling"),
    ("The award-winning Trail Bottle.", "award-winning"),
    ("The Trail Bottle, clinically proven.", "clinically proven"),
    ("Die preisgekrönte Trail Bottle.", "preisgekrönt"),
])
def test_an_invented_claim_flags_the_item(copy: str, claim: str) -> None:
    result = check(dataclasses.replace(GOOD, short_description=copy))
    assert result.reasons == (f"Claims not in the product data: {claim}.",)
    assert result.confidence_score == 1 - v.INVENTED_CLAIM and is_flagged(result)


def test_a_claim_the_product_data_makes_may_be_repeated() -> None:
    product = {**PRODUCT, "description": "Our award-winning steel bottle."}
    texts = dataclasses.replace(GOOD, short_description="The award-winning Trail Bottle holds 500 ml.")
    assert check(texts, product=product).reasons == ()


def test_copy_in_another_language_than_asked_flags_the_item() -> None:
    result = check(GOOD, dataclasses.replace(SETTINGS, language="de"))
    assert result.reasons == ("The copy does not read as German.",)
    assert result.confidence_score == 1 - v.WRONG_LANGUAGE and is_flagged(result)


def test_copy_in_the_language_asked_passes_even_with_english_names_and_values() -> None:
    german = GeneratedTexts(
        name="Trail Bottle", short_description="Die Trail Bottle von Peakline ist eine Flasche aus stainless "
                                               "steel mit 500 ml für deine Touren.",
        long_description="<p>Die Trail Bottle ist für lange Wanderungen und für das Büro gemacht.</p>",
        meta_title="Trail Bottle | Peakline", meta_description="Die Trail Bottle von Peakline mit 500 ml.")
    assert check(german, dataclasses.replace(SETTINGS, language="de")).reasons == ()


def test_text_too_short_to_judge_is_not_called_a_wrong_language() -> None:
    texts = GeneratedTexts(name="Trail Bottle", short_description="Trail Bottle.",
                           long_description="<p>Trail Bottle, Peakline.</p>", meta_title="Trail Bottle",
                           meta_description="Trail Bottle.")
    assert check(texts, dataclasses.replace(SETTINGS, language="pl")).reasons == ()


def test_faults_add_up_and_the_score_never_goes_below_zero() -> None:
    bad = GeneratedTexts(short_description="<div>Der beste Becher, 100% garantiert, 3 Jahre.",
                         long_description="", meta_title="", meta_description="")
    result = check(bad, dataclasses.replace(SETTINGS, translate_name=False))
    assert result.confidence_score == 0.0 and len(result.reasons) >= 5
    assert FLAG_THRESHOLD == 0.7

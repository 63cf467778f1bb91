"""What of a product the index embeds, and how two rankings are fused."""

from decimal import Decimal

from domain.search.fusion import reciprocal_rank_fusion
from domain.search.texts import (
    first_category,
    first_image,
    generated_copy,
    plain,
    price_of,
    source_description,
    text_to_embed,
)


def test_the_name_comes_first_then_the_generated_copy_instead_of_the_description() -> None:
    assert text_to_embed("Hoodie", "Warm cotton hoodie.", "Old text") == \
        "Hoodie\nWarm cotton hoodie."
    assert text_to_embed("Hoodie", "  ", "Source text") == "Hoodie\nSource text"
    assert text_to_embed("Hoodie", "", "") == "Hoodie"
    assert text_to_embed("", "", "Only a description") == "Only a description"


def test_generated_copy_is_the_descriptions_and_falls_back_to_the_meta_description() -> None:
    content = {"name": "X", "short_description": "<p>Short.</p>",
               "long_description": "<ul><li>Long &amp; warm</li></ul>", "meta_title": "T"}
    assert generated_copy(content) == "Short.\nLong & warm"
    assert generated_copy({"meta_description": "Meta only."}) == "Meta only."
    assert generated_copy({"name": "Only a name"}) == ""


def test_the_source_description_is_plain_text_and_falls_back_to_the_short_one() -> None:
    assert source_description({"description": "<b>Soft</b>\n\n  fleece"}) == "Soft fleece"
    assert source_description({"description": "", "short_description": "Short"}) == "Short"
    assert source_description({"description": 12}) == ""
    assert len(plain("word " * 2000)) == 2000


def test_price_category_and_image_are_read_when_they_are_there() -> None:
    assert price_of({"price": "49,90"}) == Decimal("49.90")
    assert price_of({"price": 12}) == Decimal("12")
    assert price_of({"price": "ask us"}) is None and price_of({"price": "NaN"}) is None
    assert price_of({"price": True}) is None and price_of({}) is None
    assert first_category({"categories": ["Default Category/Men/Hoodies", "Sale"]}) == "Hoodies"
    assert first_category({"categories": "Clothing > Tops"}) == "Tops"
    assert first_category({"categories": []}) is None
    assert first_image({"images": ["https://shop.test/a.jpg", "b.jpg"]}) == \
        "https://shop.test/a.jpg"
    assert first_image({"images": "a.jpg"}) is None


def test_fusion_rewards_what_both_rankings_hold() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert [hit for hit, _ in fused] == ["a", "c", "b", "d"]
    scores = dict(fused)
    assert 0 < scores["d"] < scores["b"] < scores["c"] < scores["a"] < 1


def test_first_in_every_ranking_scores_one_and_the_limit_cuts() -> None:
    fused = reciprocal_rank_fusion([["x", "y"], ["x"]], limit=1)
    assert fused == [("x", 1.0)]
    assert reciprocal_rank_fusion([[], []]) == []
    assert reciprocal_rank_fusion([]) == []


def test_ties_keep_the_order_the_rankings_name_them_and_duplicates_count_once() -> None:
    fused = reciprocal_rank_fusion([["a", "a", "b"], ["b", "a"]])
    assert [hit for hit, _ in fused] == ["a", "b"]
    assert fused[0][1] == fused[1][1]

"""A text model's landing-page copy: the prompt states the products, the answer is read from
its JSON object, and copy stating numbers or claims the products do not is refused."""

from decimal import Decimal

import pytest

from domain.pages.page_prompt import (
    MAX_INTRO,
    MalformedPageAnswerError,
    PageCopy,
    copy_problems,
    page_prompt,
    read_page_answer,
)
from domain.pages.page_writer import PageProduct, write_page

PRODUCTS = [PageProduct(sku="HOOD-1", name="Zip hoodie", category="Hoodies", price=Decimal("59.90")),
            PageProduct(sku="MUG-1", name="Coffee mug", category=None, price=None)]


def test_the_prompt_lists_each_product_with_its_facts() -> None:
    system, user = page_prompt("Warm hoodies", "hoodies under 60", PRODUCTS)
    assert "JSON" in system and "no numbers" in system
    assert user.startswith("Landing page:")
    assert "Zip hoodie" in user and "59.90" in user and "Coffee mug" in user


@pytest.mark.parametrize("answer", [
    '{"intro_copy": "Hello there.", "body": "Two paragraphs."}',
    'Here you go:\n{"intro_copy": "Hello there.", "body": "Two paragraphs."} hope it helps',
])
def test_the_copy_is_read_from_the_first_json_object(answer: str) -> None:
    assert read_page_answer(answer) == PageCopy(intro_copy="Hello there.", body="Two paragraphs.")


@pytest.mark.parametrize("answer", ["no json here", "[1, 2]", '{"body": "x"}',
                                    '{"intro_copy": "  ", "body": "x"}',
                                    '{"intro_copy": "Hi", "body": 3}'])
def test_an_answer_without_the_object_asked_for_is_malformed(answer: str) -> None:
    with pytest.raises(MalformedPageAnswerError):
        read_page_answer(answer)


def test_copy_keeping_to_the_products_facts_passes() -> None:
    copy = PageCopy(intro_copy="Warm hoodies for cold days.",
                    body="The Zip hoodie costs 59.90.\n\nPair it with a Coffee mug.")
    assert copy_problems(copy, "Warm hoodies", "hoodies under 60", PRODUCTS) == []


def test_invented_numbers_claims_html_and_length_are_each_named() -> None:
    copy = PageCopy(intro_copy="<b>Best-selling</b> hoodies, 20% off! " + "x" * MAX_INTRO,
                    body="Award-winning warmth for 3 winters.")
    problems = " | ".join(copy_problems(copy, "Warm hoodies", "hoodies", PRODUCTS))
    assert "20" in problems and "3" in problems
    assert "best-selling" in problems.lower() and "award-winning" in problems.lower()
    assert "HTML" in problems and "over the limit" in problems


def test_the_models_texts_go_on_the_page_and_the_blocks_stay_the_writers() -> None:
    page = write_page("Warm hoodies", "hoodies", PRODUCTS, intro="Warm and soft.",
                      body="Paragraph one.\n\nParagraph two.")
    assert page.intro_copy == "Warm and soft."
    assert [b["type"] for b in page.blocks] == ["hero", "product_grid", "text_section"]
    assert page.blocks[0]["props"]["subheadline"] == "Warm and soft."
    assert page.blocks[2]["props"]["body"] == "Paragraph one.\n\nParagraph two."
    assert page.product_skus == ("HOOD-1", "MUG-1")

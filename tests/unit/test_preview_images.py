"""A page's preview image: the prompt says what the page says (not its scripts or styles),
the card takes the page's own colours, and file names carry the picture's hash."""

import pytest

from domain.pages.preview_images import (
    FILE_NAME,
    page_colours,
    preview_file_name,
    preview_prompt,
)


def test_the_prompt_names_the_page_its_text_and_the_wishes_but_no_code() -> None:
    prompt = preview_prompt("Winter sale", "<style>h1{color:red}</style><h1>Coats</h1>"
                            "<script>alert(1)</script><p>Warm &amp; dry</p>", " blue tones ")
    assert "“Winter sale”" in prompt and "Coats Warm & dry" in prompt
    assert "blue tones" in prompt and "alert" not in prompt and "color" not in prompt


def test_the_background_is_the_most_used_dark_colour_and_the_accent_the_next() -> None:
    html = "<style>a{color:#F59E0B} b{color:#f59e0b} body{background:#1E3A8A} i{color:#fff}</style>"
    assert page_colours(html) == ((0x1E, 0x3A, 0x8A), (0xF5, 0x9E, 0x0B))
    assert page_colours("<p style='color:#123'>x</p>") == ((0x11, 0x22, 0x33), (249, 250, 251))


@pytest.mark.parametrize("html", ["<p>no colours</p>", "<style>a{color:#ffffff}</style>",
                                  "<a href='#section'>x</a>"])
def test_a_page_without_a_dark_colour_leaves_the_card_its_own(html: str) -> None:
    assert page_colours(html) is None


def test_a_new_picture_gets_a_new_name_that_the_route_accepts() -> None:
    first, second = preview_file_name(7, b"one", "png"), preview_file_name(7, b"two", "png")
    assert first != second and first.startswith("page-7-") and first.endswith(".png")
    assert FILE_NAME.fullmatch(first) and not FILE_NAME.fullmatch("../" + first)

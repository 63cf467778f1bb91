"""Colour suggestions: background the commonest, text readable on it, accents the vivid ones."""

from domain.pages.colour_suggestions import Colour, contrast, suggest_colours


def test_a_light_picture_gets_dark_text_and_its_vivid_colours_as_accents() -> None:
    colours = [Colour((250, 248, 245), 0.6), Colour((200, 40, 30), 0.2),
               Colour((30, 90, 200), 0.1), Colour((128, 128, 128), 0.09),
               Colour((0, 255, 0), 0.01)]
    assert suggest_colours(colours) == {
        "background_color": "#FAF8F5", "text_color": "#111827",
        "primary_color": "#C8281E", "secondary_color": "#1E5AC8"}


def test_a_dark_picture_gets_light_text_and_a_plain_one_no_accents() -> None:
    assert suggest_colours([Colour((10, 10, 20), 0.9), Colour((12, 12, 22), 0.1)]) == {
        "background_color": "#0A0A14", "text_color": "#F9FAFB"}
    assert suggest_colours([]) == {}


def test_contrast_is_the_wcag_ratio() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert contrast((120, 120, 120), (120, 120, 120)) == 1.0

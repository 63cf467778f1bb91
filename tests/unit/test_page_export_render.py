"""Rendering a page for export: what users wrote is escaped in each format, links that are
not http(s) are dropped, unknown blocks left out, a text section's HTML kept only when it is
copy HTML."""

import io
import json
import zipfile
from decimal import Decimal

from adapters.page_export.render import PageToExport, product_card, render

HOSTILE = "<script>alert(1)</script>"


def _page(**changes: object) -> PageToExport:
    values: dict[str, object] = {
        "slug": "p", "title": "Sale " + HOSTILE, "language": "de", "tracking_url": None,
        "tokens": {"custom_css": "a > b { color: red } </style><script>x</script>"},
        "products": {"S1": product_card("Shirt " + HOSTILE, Decimal("9.50"),
                                        "javascript:alert(1)", "https://img.test/s.png")},
        "blocks": [
            {"type": "hero", "props": {"headline": '"Big" ' + HOSTILE}},
            {"type": "product_grid", "props": {"product_skus": ["S1", "S2"],
                                               "show_prices": True}},
            {"type": "text_section", "props": {"body": "<p>Kept <strong>HTML</strong></p>"}},
            {"type": "text_section", "props": {"body": "Not copy <img src=x onerror=y>"}},
            {"type": "marquee", "props": {"text": "unknown"}},
        ],
    }
    values.update(changes)
    return PageToExport(**values)  # type: ignore[arg-type]


def test_html_escapes_users_text_and_keeps_only_copy_html() -> None:
    html = render(_page(), "html").decode()
    assert HOSTILE not in html and "<script>" not in html, "no tracking URL: no script at all"
    assert '<html lang="de">' in html and "&#34;Big&#34; &lt;script&gt;" in html
    assert "<p>Kept <strong>HTML</strong></p>" in html
    assert "&lt;img src=x onerror=y&gt;" in html
    assert "a > b { color: red }" in html and "\\3c /style>" in html
    assert "javascript:" not in html and 'src="https://img.test/s.png"' in html
    assert 'data-sku="S2"' in html and "9.50" in html and "marquee" not in html


def test_the_tracking_snippet_is_a_json_string_in_html_and_tsx() -> None:
    url = 'https://api.test/p/"quoted"</script>'
    html = render(_page(tracking_url=url), "html").decode()
    assert html.count("<script>") == 1 and "</script>\"" not in html
    tsx = render(_page(tracking_url=url), "tsx").decode()
    assert "</script>" not in tsx and 'const trackingUrl: string | null = "https://api.test/' in tsx


def test_tsx_carries_the_blocks_as_a_literal_and_json_and_zip_the_same_page() -> None:
    tsx = render(_page(), "tsx").decode()
    literal = json.loads(tsx.split("const page = ", 1)[1].split(" as const;", 1)[0])
    assert [b["type"] for b in literal["blocks"]] == [
        "hero", "product_grid", "text_section", "text_section"]
    assert literal["blocks"][2]["props"]["body_html"] == "<p>Kept <strong>HTML</strong></p>"
    assert literal["blocks"][3]["props"]["body_html"] is None
    document = json.loads(render(_page(), "json"))
    assert document["products"]["S1"]["url"] is None and document["language"] == "de"
    assert document["design_system"]["primary_color"] == "#1F2937", "defaults fill the rest"
    with zipfile.ZipFile(io.BytesIO(render(_page(), "zip"))) as archive:
        assert json.loads(archive.read("page.json")) == document

"""Which column holds what: from the platform's own headers, from synonyms, and from sample values."""

import io

import pytest

from adapters.catalog_files import detect_columns, read_catalog, sniff_headers
from domain.errors import InvalidCommandError
from tests.unit.catalog_files.catalog_helpers import FIXTURES

EXPORTS = [("shopify", "shopify-products-export.csv"), ("woocommerce", "woocommerce-products-export.csv"),
           ("magento2", "magento2-configurable-products-export.csv"), ("magento2", "magento2-products.xml"),
           ("woocommerce", "woocommerce-wxr.xml")]


def sniffed(name: str) -> tuple[list[str], list[list[str]]]:
    with (FIXTURES / name).open("rb") as stream:
        return sniff_headers(stream, name)


@pytest.mark.parametrize(("platform", "name"), EXPORTS)
def test_each_platform_s_export_is_recognized_and_its_own_headers_mapped_with_certainty(
        platform: str, name: str) -> None:
    headers, rows = sniffed(name)

    detection = detect_columns(platform, headers, rows)

    assert detection.platform_guess == platform
    assert 0 < len(rows) <= 20 and all(len(row) == len(headers) for row in rows)
    essentials = {h: f for h, f in detection.mapping.items() if f in ("sku", "name", "description", "price")}
    assert sorted(set(essentials.values())) == ["description", "name", "price", "sku"]
    assert all(detection.confidence[h] >= 0.95 for h in essentials)


def test_shopify_headers_map_to_the_canonical_fields() -> None:
    headers, rows = sniffed("shopify-products-export.csv")

    mapping = detect_columns("shopify", headers, rows).mapping

    shown = ("Handle", "Title", "Body (HTML)", "Vendor", "Variant SKU", "Variant Price", "Image Src",
             "SEO Title", "SEO Description", "Variant Grams")
    assert {h: mapping[h] for h in shown} == {
        "Handle": "url_key", "Title": "name", "Body (HTML)": "description", "Vendor": "brand",
        "Variant SKU": "sku", "Variant Price": "price", "Image Src": "images", "SEO Title": "meta_title",
        "SEO Description": "meta_description", "Variant Grams": "weight"}


def test_known_platform_columns_without_a_field_are_neither_mapped_nor_unmapped() -> None:
    headers, rows = sniffed("woocommerce-products-export.csv")

    detection = detect_columns("woocommerce", headers, rows)

    assert "Type" not in detection.mapping and "Type" not in detection.unmapped
    assert "Parent" not in detection.unmapped
    assert "Purchase note" in detection.unmapped


def test_renamed_headers_map_through_synonyms_and_unnamed_ones_through_their_values() -> None:
    headers = ["Artikelnummer", "Produktname", "Preis", "Beschreibung", "Spalte 5", "Spalte 6", "Spalte 7",
               "Spalte 8", "Spalte 9", "Notiz"]
    rows = [["AB-1001", "Wollmütze Grau", "19,90", "Warme Mütze", "https://cdn.example.com/a.jpg",
             "<p>Aus <b>Merino</b>.</p>", "Damen > Mützen", "wollmuetze-grau", "€ 12.50", "x"],
            ["AB-1002", "Schal Rot", "29,90", "Langer Schal", "https://cdn.example.com/b.webp?v=2",
             "<p>Aus Kaschmir.</p>", "Damen > Schals", "schal-rot", "€ 14.00", "y"]]

    detection = detect_columns("woocommerce", headers, rows)

    assert detection.mapping == {
        "Artikelnummer": "sku", "Produktname": "name", "Preis": "price", "Beschreibung": "description",
        "Spalte 5": "images", "Spalte 6": "short_description", "Spalte 7": "categories",
        "Spalte 8": "url_key"}
    assert detection.confidence["Produktname"] == 0.8
    assert detection.confidence["Spalte 5"] == 0.7
    assert detection.unmapped == ["Spalte 9", "Notiz"]
    assert detection.platform_guess is None


def test_a_detected_mapping_reads_the_renamed_file() -> None:
    headers = ["Ref", "Kind", "Title", "Cost", "Picture"]
    rows = [["S-1", "simple", "Oak desk", "120", "https://x.example/desk.jpg"]]
    detection = detect_columns("magento2", headers, rows)
    data = (b"Ref,Kind,Title,Cost,Picture\nS-1,simple,Oak desk,120,https://x.example/desk.jpg\n")
    mapping = {**detection.mapping, "Kind": "product_type"}

    [record] = list(read_catalog("magento2", io.BytesIO(data), column_mapping=mapping))

    assert detection.mapping == {"Ref": "sku", "Title": "name", "Cost": "price", "Picture": "images"}
    assert (record.external_id, record.name, record.source_data["price"]) == ("S-1", "Oak desk", "120")
    assert record.source_data["images"] == ["https://x.example/desk.jpg"]


def test_a_single_field_goes_to_its_most_certain_header() -> None:
    detection = detect_columns("woocommerce", ["Produktname", "Name"], [["A", "B"]])

    assert detection.mapping == {"Name": "name"}
    assert detection.unmapped == ["Produktname"]


def test_without_a_platform_the_platform_is_guessed() -> None:
    headers, rows = sniffed("magento2-configurable-products-export.csv")

    detection = detect_columns("", headers, rows)

    assert detection.platform_guess == "magento2"
    assert detection.mapping["additional_attributes"] == "attributes"


def test_an_unknown_platform_is_refused() -> None:
    with pytest.raises(InvalidCommandError):
        detect_columns("ebay", ["sku"], [])

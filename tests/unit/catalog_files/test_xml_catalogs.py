"""Product XML (one element per product, its children the columns; or WordPress's WXR) read as
records, with a parser that refuses DTDs and entities."""

import time

import pytest

from domain.errors import MalformedInputError
from tests.unit.catalog_files.catalog_helpers import by_id, read_bytes, read_fixture, summary


def test_shopify_xml_groups_rows_by_handle_like_the_csv() -> None:
    records = read_fixture("shopify", "shopify-products.xml")

    assert [summary(r) for r in records] == [
        ("linen-camp-shirt", "parent", None, "Linen Camp Shirt", 4),
        ("NW-CAMP-M", "variant", "linen-camp-shirt", "Linen Camp Shirt - M", 4),
        ("NW-CAMP-L", "variant", "linen-camp-shirt", "Linen Camp Shirt - L", 23),
        ("enamel-camp-mug", "simple", None, "Enamel Camp Mug", 30),
    ]
    shirt = records[0].source_data
    assert shirt["description"] == (
        "<p>Breezy <strong>European linen</strong> with a relaxed camp collar.</p>\n"
        "<ul><li>Coconut buttons</li><li>Boxy fit</li></ul>")
    assert shirt["categories"] == ["Apparel & Accessories > Clothing > Shirts & Tops"]
    assert shirt["platform_fields"]["Tags"] == "linen, summer"
    assert records[3].source_data["description"] == "<p>Steel mug with a speckled enamel finish.</p>"


def test_woocommerce_xml_reads_nested_lists_and_numbered_attribute_tags() -> None:
    records = by_id(read_fixture("woocommerce", "woocommerce-products.xml"))

    tee = records["WOO-TEE"]
    assert (tee.item_type, tee.line) == ("parent", 4)
    assert tee.source_data["images"] == ["https://shop.example.com/wp-content/uploads/2024/05/tee-1.jpg",
                                         "https://shop.example.com/wp-content/uploads/2024/05/tee-2.jpg"]
    assert tee.source_data["attributes"] == {"Size": "S, M"}
    assert tee.source_data["platform_fields"] == {"ID": "201", "Type": "variable", "Tax status": "taxable"}
    small = records["WOO-TEE-S"]
    assert (small.parent_external_id, small.source_data["price"]) == ("WOO-TEE", "24")
    assert records["WOO-CAP"].source_data["brand"] == "Woo"


def test_magento_xml_links_children_written_before_their_parent_and_skips_store_views() -> None:
    records = read_fixture("magento2", "magento2-products.xml")

    assert [summary(r) for r in records] == [
        ("WJ01-S-Blue", "variant", "WJ01", "Stellar Solar Jacket-S-Blue", 4),
        ("WJ01-M-Blue", "variant", "WJ01", "Stellar Solar Jacket-M-Blue", 15),
        ("WJ01", "parent", None, "Stellar Solar Jacket", 22),
        ("24-UG01", "simple", None, "Quest Lumaflex Band", 40),
    ]
    assert records[2].source_data["categories"] == ["Default Category > Women > Tops > Jackets",
                                                    "Default Category > Collections > Performance Fabrics"]
    assert records[3].source_data["brand"] == "Luma"


def test_a_wordpress_export_reads_products_and_variations_and_skips_other_posts() -> None:
    records = read_fixture("woocommerce", "woocommerce-wxr.xml")

    assert [summary(r) for r in records] == [
        ("woo-hoodie-with-logo", "parent", None, "Hoodie with Logo", 24),
        ("woo-hoodie-with-logo-blue", "variant", "woo-hoodie-with-logo", "Hoodie with Logo - Blue", 63),
        ("Woo-beanie-logo", "simple", None, "Beanie with Logo", 103),
    ]
    hoodie, blue, beanie = (r.source_data for r in records)
    assert hoodie["description"] == \
        "<p>Brushed fleece hoodie with an embroidered logo.</p>\n<p>Unisex fit.</p>"
    assert hoodie["short_description"] == "<p>Our best-selling hoodie.</p>"
    assert (hoodie["categories"], hoodie["weight"]) == (["Hoodies"], "0.7")
    assert hoodie["url_key"] == "hoodie-with-logo"
    assert hoodie["attributes"] == {"Color": "Blue, Red"}
    assert hoodie["meta_description"] == "Fleece hoodie with an embroidered logo."
    assert (blue["description"], blue["price"], blue["attributes"]) == ("<p>Deep navy blue.</p>", "45",
                                                                        {"Color": "blue"})
    assert beanie["platform_fields"]["Meta: gtin"] == "4006381333931"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<products><product><sku>A</sku><product_type>simple</product_type><name>&lol9;</name></product></products>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE products [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<products><product><sku>A</sku><product_type>simple</product_type><name>&secret;</name></product></products>
"""


@pytest.mark.parametrize("document", [BOMB, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_dtds_and_entities_are_refused_at_once(document: bytes) -> None:
    started = time.perf_counter()

    with pytest.raises(MalformedInputError, match=r"^line 2: the XML declares a DTD or entities"):
        read_bytes("magento2", document, filename="products.xml")

    assert time.perf_counter() - started < 0.5


def test_xml_is_recognized_without_an_extension_and_broken_xml_names_its_line() -> None:
    document = b"<products>\n<product><sku>A</sku><product_type>simple</product_type>\n<name>Lamp</nam>\n"

    with pytest.raises(MalformedInputError, match=r"^line 3, column \d+: invalid XML \(mismatched tag\)$"):
        read_bytes("magento2", document, filename="upload")


def test_a_latin1_declared_document_is_decoded_by_its_declaration() -> None:
    document = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<products><product><sku>A</sku>'
                "<product_type>simple</product_type><name>Crème brûlée</name></product></products>"
                ).encode("latin-1")

    [record] = read_bytes("magento2", document, filename="products.xml")

    assert record.name == "Crème brûlée"

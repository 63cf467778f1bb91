"""External product feeds: JSON and XML bodies become records (XML safely: no entities),
and `field_map` maps their fields onto the canonical product fields."""

from decimal import Decimal

import pytest

from adapters.feed_documents import FeedFormatError, parse_feed
from domain.errors import InvalidCommandError
from domain.search.feed_products import FeedProduct, check_field_map, map_products

XML = b"""<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>
<item><g:id>H-1</g:id><title>Hoodie</title><g:price>59,90</g:price></item>
<item><g:id>M-1</g:id><title>Mug</title></item>
</channel></rss>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>
<products><product><sku>&b;</sku></product></products>"""


def test_a_json_array_or_an_object_holding_one_is_a_feed() -> None:
    assert parse_feed(b'[{"sku": "A"}]', "json") == [{"sku": "A"}]
    assert parse_feed(b'{"total": 1, "products": [{"sku": "A"}]}', "json") == [{"sku": "A"}]


def test_xml_items_become_records_by_their_local_names() -> None:
    assert parse_feed(XML, "xml") == [{"id": "H-1", "title": "Hoodie", "price": "59,90"},
                                      {"id": "M-1", "title": "Mug"}]


@pytest.mark.parametrize(("body", "feed_format", "says"), [
    (b"{nope", "json", "not valid JSON"), (b'{"a": 1}', "json", "one array"),
    (b"[1, 2]", "json", "product objects"), (b"<a><b>", "xml", "not valid XML"),
    (BOMB, "xml", "entities"), (b"[]", "csv", "unknown feed format"),
])
def test_a_body_that_is_not_a_feed_is_refused_saying_why(body: bytes, feed_format: str,
                                                         says: str) -> None:
    with pytest.raises(FeedFormatError, match=says):
        parse_feed(body, feed_format)


def test_field_map_maps_source_fields_and_skips_records_without_sku_or_name() -> None:
    records = [*parse_feed(XML, "xml"), {"title": "no id"}, {"id": "H-1", "title": "Hoodie 2"}]
    products, skipped = map_products(records, {"id": "sku", "title": "name"})
    assert skipped == 1
    assert products == [FeedProduct(sku="H-1", name="Hoodie 2"),
                        FeedProduct(sku="M-1", name="Mug")]
    priced, _ = map_products(records[:1], {"id": "sku", "title": "name", "price": "price"})
    assert priced[0].price == Decimal("59.90")


def test_a_feed_whose_every_record_is_passed_over_is_refused_saying_why() -> None:
    records = [{"id": "H-1", "title": "Hoodie"}, {"id": "M-1", "title": "Mug"}]
    with pytest.raises(InvalidCommandError, match="none of the feed's 2 records has 'name'") as e:
        map_products(records, {"id": "sku"})
    assert "id, title" in str(e.value) and "field_map" in str(e.value)
    with pytest.raises(InvalidCommandError, match="has 'sku' and 'name' \\("):
        map_products(records, {})
    assert map_products([], {}) == ([], 0)


def test_a_field_map_must_target_canonical_fields() -> None:
    assert check_field_map({"g:id": "sku"}) == {"g:id": "sku"}
    with pytest.raises(InvalidCommandError, match="'colour' maps to 'color'"):
        check_field_map({"colour": "color"})
